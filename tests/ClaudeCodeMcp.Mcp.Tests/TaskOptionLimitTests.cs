using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Mcp.Tests;

/// <summary>
/// The tools accept and refuse the task options' boundary values exactly as the cmdlets do: the same table
/// (<see cref="TaskOptionBoundaries"/>) runs through Start-ClaudeTask in the module's tests.
/// </summary>
public sealed class TaskOptionLimitTests
{
    [Fact]
    public async Task Boundary_values_are_accepted_and_refused_as_by_the_cmdlets_and_refusals_say_the_limits()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);
        var wrong = new List<string>();

        foreach (var boundary in TaskOptionBoundaries.All)
        {
            var result = await server.Client.CallToolAsync("claude_code_execute_async", new Dictionary<string, object?>
            {
                ["prompt"] = "limits",
                ["working_dir"] = sandbox.WorkDir,
                [boundary.Argument] = System.Text.Json.JsonSerializer.SerializeToElement(boundary.Value),
            });
            var accepted = result.IsError != true;
            if (accepted != boundary.Accepted) wrong.Add($"{boundary}: {(accepted ? "accepted" : "refused: " + result.Text())}");
            else if (!accepted && !result.Text().Contains(boundary.Says!, StringComparison.Ordinal))
                wrong.Add($"{boundary}: the refusal does not say '{boundary.Says}': {result.Text()}");
            else if (!accepted && !result.Text().Contains(boundary.Argument, StringComparison.Ordinal))
                wrong.Add($"{boundary}: the refusal does not name {boundary.Argument}: {result.Text()}");
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public async Task A_permission_mode_in_any_case_reaches_the_child_in_the_CLIs_spelling()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);
        var report = Path.Combine(sandbox.Root, "args.json");

        var result = await server.CallAsync("claude_code_execute",
            new { prompt = $"fake:report {report}", working_dir = sandbox.WorkDir, permission_mode = "ACCEPTEDITS", skip_permissions = false });

        Assert.False(result.IsError, result.Text());
        var argv = System.Text.Json.JsonDocument.Parse(File.ReadAllText(report)).RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString());
        Assert.Contains("--permission-mode=acceptEdits", argv);
    }

    [Fact]
    public async Task Input_schema_states_the_engines_limits()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);

        var properties = (await server.Client.ListToolsAsync()).Single(t => t.Name == "claude_code_execute").JsonSchema.GetProperty("properties");

        Assert.Equal(0, properties.GetProperty("timeout").GetProperty("exclusiveMinimum").GetDouble());
        Assert.Equal(2_592_000, properties.GetProperty("timeout").GetProperty("maximum").GetDouble());
        Assert.Equal(1, properties.GetProperty("max_turns").GetProperty("minimum").GetInt32());
        Assert.Equal(1_000_000, properties.GetProperty("max_budget_usd").GetProperty("maximum").GetDouble());
        Assert.Equal(["default", "acceptEdits", "plan", "auto", "dontAsk", "bypassPermissions"],
            properties.GetProperty("permission_mode").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("at most 2592000 seconds (30 days)", properties.GetProperty("timeout").GetProperty("description").GetString());
    }
}
