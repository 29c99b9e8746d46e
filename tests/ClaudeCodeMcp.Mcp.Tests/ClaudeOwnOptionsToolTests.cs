using System.Text.Json;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;

namespace ClaudeCodeMcp.Mcp.Tests;

/// <summary>
/// Claude Code's own options through the tools: each reaches the child's command line as one token, the structured
/// output a schema asks for comes back as an object in the status record, and JSON the CLI would choke on is a tool
/// error before any child starts.
/// </summary>
public sealed class ClaudeOwnOptionsToolTests
{
    private const string Session = "9d3c2b1a-4e5f-4a6b-8c7d-0e1f2a3b4c5d";

    [Fact]
    public async Task Each_option_reaches_the_child_as_one_flag_value_token()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);
        var report = Path.Combine(sandbox.Root, "args.json");
        var settings = Path.Combine(sandbox.WorkDir, "settings.json");
        File.WriteAllText(settings, "{}");

        var result = await server.CallAsync("claude_code_execute", new
        {
            prompt = $"fake:report {report}\nfake:structured {{\"ok\": true}}",
            working_dir = sandbox.WorkDir,
            json_schema = new { type = "object", properties = new { ok = new { type = "boolean" } } },
            fallback_model = "opus,sonnet",
            effort = "High",
            system_prompt = "--you are terse",
            settings = "settings.json",
            agents = "{ \"reviewer\": { \"description\": \"d\", \"prompt\": \"p\" } }",
            resume_session_id = Session,
            fork_session = true,
        });

        Assert.False(result.IsError, result.Text());
        var argv = JsonDocument.Parse(File.ReadAllText(report)).RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Contains("""--json-schema={"type":"object","properties":{"ok":{"type":"boolean"}}}""", argv);
        Assert.Contains("--fallback-model=opus,sonnet", argv);
        Assert.Contains("--effort=high", argv);
        Assert.Contains("--system-prompt=--you are terse", argv);
        Assert.Contains($"--settings={settings}", argv);
        Assert.Contains("""--agents={"reviewer":{"description":"d","prompt":"p"}}""", argv);
        Assert.Contains("--fork-session", argv);
    }

    [Fact]
    public async Task Check_result_gives_the_structured_output_as_an_object_and_when_the_child_last_printed()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);

        var started = await server.CallAsync("claude_code_execute_async", new
        {
            prompt = """fake:structured {"files": ["a.cs", "b.cs"]}""",
            working_dir = sandbox.WorkDir,
            json_schema = """{"type": "object", "properties": {"files": {"type": "array"}}}""",
        });
        var id = started.Structured().GetProperty("task_id").GetString();
        await server.CallAsync("claude_code_wait", new { task_ids = new[] { id } });
        var record = (await server.CallAsync("claude_code_check_result", new { task_id = id })).Structured();

        Assert.Equal("completed", record.GetProperty("status").GetString());
        var output = record.GetProperty("structured_output");
        Assert.Equal(JsonValueKind.Object, output.ValueKind);
        Assert.Equal(["a.cs", "b.cs"], output.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.True(DateTimeOffset.TryParse(record.GetProperty("last_output_at").GetString(), out _), record.GetRawText());
    }

    [Fact]
    public async Task A_schema_asked_for_and_not_given_fails_the_call_with_the_reason()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);

        var result = await server.CallAsync("claude_code_execute", new
        {
            prompt = "fake:result just prose",
            working_dir = sandbox.WorkDir,
            json_schema = new { type = "object" },
        });

        Assert.True(result.IsError);
        Assert.Equal("failed", result.Structured().GetProperty("status").GetString());
        Assert.Contains("structured output", result.Structured().GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, result.Structured().GetProperty("structured_output").ValueKind);
    }

    [Theory]
    [InlineData("json_schema", "{\"type\": ", "JSON schema")]
    [InlineData("json_schema", "[]", "not an object")]
    [InlineData("agents", "{reviewer: 1}", "not valid JSON")]
    [InlineData("settings", "{\"model\": ", "not valid JSON")]
    [InlineData("settings", "no-such-settings.json", "does not exist")]
    [InlineData("effort", "extreme", "one of: low, medium, high, xhigh, max")]
    [InlineData("fork_session", true, "only when a session is resumed")]
    public async Task Bad_option_values_are_tool_errors_and_start_nothing(string argument, object value, string says)
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);

        var result = await server.Client.CallToolAsync("claude_code_execute_async", new Dictionary<string, object?>
        {
            ["prompt"] = "fake:result never",
            ["working_dir"] = sandbox.WorkDir,
            [argument] = JsonSerializer.SerializeToElement(value),
        });

        Assert.True(result.IsError, result.Text());
        Assert.Contains(says, result.Text());
        var listed = (await server.CallAsync("claude_code_list_tasks")).Structured();
        Assert.Equal(0, listed.GetProperty("tasks").GetArrayLength());
    }

    [Fact]
    public async Task A_json_argument_of_another_type_is_refused_naming_it()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);

        var result = await server.CallAsync("claude_code_execute_async", new { prompt = "x", working_dir = sandbox.WorkDir, agents = 3 });

        Assert.True(result.IsError);
        Assert.Contains("agents must be a JSON object or its text", result.Text());
    }
}
