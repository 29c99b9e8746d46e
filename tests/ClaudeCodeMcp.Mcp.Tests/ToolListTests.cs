using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;

namespace ClaudeCodeMcp.Mcp.Tests;

public sealed class ToolListTests
{
    [Fact]
    public async Task Server_offers_the_eight_tools_with_the_seed_parameters_and_output_schemas()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);

        var tools = await server.Client.ListToolsAsync();

        Assert.Equal(
            ["claude_code_cancel", "claude_code_check_result", "claude_code_execute", "claude_code_execute_async",
             "claude_code_get_output", "claude_code_list_tasks", "claude_code_remove", "claude_code_wait"],
            tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var name in new[] { "claude_code_execute_async", "claude_code_execute" })
        {
            var schema = tools.Single(t => t.Name == name).JsonSchema;
            var properties = schema.GetProperty("properties");
            foreach (var seed in new[] { "prompt", "working_dir", "model", "skip_permissions", "timeout" })
                Assert.True(properties.TryGetProperty(seed, out _), $"{name} lacks {seed}");
            Assert.Equal(["prompt"], schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("string", properties.GetProperty("prompt").GetProperty("type").GetString());
        }
        Assert.All(tools, t => Assert.NotNull(t.ProtocolTool.OutputSchema));
        Assert.All(tools, t => Assert.False(string.IsNullOrWhiteSpace(t.Description)));
        Assert.Equal("claude_code_check_result", Assert.Single(tools, t => t.Name == "claude_code_check_result").Name);
    }
}
