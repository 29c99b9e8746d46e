using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;
using ModelContextProtocol;

namespace ClaudeCodeMcp.Mcp.Tests;

/// <summary>A tool that cannot do what was asked says why and what to do, and the server keeps serving.</summary>
public sealed class ToolErrorTests
{
    [Theory]
    [InlineData("claude_code_check_result")]
    [InlineData("claude_code_cancel")]
    [InlineData("claude_code_get_output")]
    [InlineData("claude_code_remove")]
    public async Task Unknown_and_traversal_task_ids_are_errors_that_say_what_to_do(string tool)
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);

        var unknown = await server.CallAsync(tool, new { task_id = "abcdefgh" });
        Assert.True(unknown.IsError);
        Assert.Contains("no task abcdefgh", unknown.Text());

        var traversal = await server.CallAsync(tool, new { task_id = "../../../etc/passwd" });
        Assert.True(traversal.IsError);
        Assert.Contains("is not a task id", traversal.Text());
        await server.Client.ListToolsAsync();
    }

    [Fact]
    public async Task An_argument_the_tool_does_not_take_is_refused_naming_the_ones_it_does_and_nothing_runs()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);

        var slip = await server.CallAsync("claude_code_execute_async", new { prompt = "hi", working_directory = sandbox.WorkDir });
        var unknown = await server.CallAsync("claude_code_list_tasks", new { colour = "blue" });

        Assert.True(slip.IsError);
        Assert.Contains("This tool has no argument 'working_directory'. Did you mean working_dir? It takes: prompt, working_dir,", slip.Text());
        Assert.True(unknown.IsError);
        Assert.Contains("no argument 'colour'. It takes: status, limit", unknown.Text());
        Assert.Empty(new Engine.Store.TaskStore(sandbox.StateDir).List());
    }

    [Fact]
    public async Task Missing_working_dir_is_refused()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);
        var missing = Path.Combine(sandbox.Root, "nope");

        var result = await server.CallAsync("claude_code_execute_async", new { prompt = "hi", working_dir = missing });

        Assert.True(result.IsError);
        Assert.Contains(missing, result.Text());
        Assert.Contains("does not exist", result.Text());
    }

    [Fact]
    public async Task Working_dir_outside_the_allowed_folders_is_refused_even_through_dotdot_or_a_symlink()
    {
        await using var sandbox = new Sandbox();
        var allowed = Directory.CreateDirectory(Path.Combine(sandbox.WorkDir, "allowed")).FullName;
        var inside = Directory.CreateDirectory(Path.Combine(allowed, "project")).FullName;
        var link = Path.Combine(allowed, "escape");
        Directory.CreateSymbolicLink(link, sandbox.Home);
        await using var server = await InProcessServer.StartAsync(sandbox, new ClaudeMcpServerSettings { AllowedDirectories = [allowed] });

        foreach (var outside in new[] { sandbox.Home, Path.Combine(allowed, "..", ".."), link, Path.Combine(link, ".") })
        {
            var refused = await server.CallAsync("claude_code_execute_async", new { prompt = "hi", working_dir = outside });
            Assert.True(refused.IsError, outside);
            Assert.Contains("outside the folders this server allows", refused.Text());
        }
        var ok = await server.CallAsync("claude_code_execute", new { prompt = "inside", working_dir = inside });
        Assert.False(ok.IsError, ok.Text());
        // `..` is read from the text first (as .NET and PowerShell read it), then links: escape/.. names `allowed` itself,
        // and the child runs there, in the very folder the check passed, never in the link target's parent.
        var report = sandbox.File("report.json");
        var up = await server.CallAsync("claude_code_execute", new { prompt = $"fake:report {report}", working_dir = link + "/.." });
        Assert.False(up.IsError, up.Text());
        var cwd = System.Text.Json.JsonDocument.Parse(File.ReadAllText(report)).RootElement.GetProperty("cwd").GetString();
        Assert.Equal(Engine.RealPath.Of(allowed), cwd);
    }

    [Fact]
    public async Task Skipping_permissions_is_refused_under_deny_skip_permissions()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox, new ClaudeMcpServerSettings { DenySkipPermissions = true });

        var skip = await server.CallAsync("claude_code_execute_async", new { prompt = "hi", working_dir = sandbox.WorkDir, skip_permissions = true });
        var bypass = await server.CallAsync("claude_code_execute_async", new { prompt = "hi", working_dir = sandbox.WorkDir, permission_mode = "bypassPermissions" });
        var plain = await server.CallAsync("claude_code_execute", new { prompt = "allowed", working_dir = sandbox.WorkDir });

        Assert.True(skip.IsError);
        Assert.Contains("--deny-skip-permissions", skip.Text());
        Assert.True(bypass.IsError);
        Assert.Contains("--deny-skip-permissions", bypass.Text());
        Assert.False(plain.IsError, plain.Text());
    }

    [Fact]
    public async Task Claude_not_found_names_the_ways_to_point_at_it()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox, new ClaudeMcpServerSettings { ClaudePath = Path.Combine(sandbox.Root, "no-claude") });

        var result = await server.CallAsync("claude_code_execute_async", new { prompt = "hi", working_dir = sandbox.WorkDir });

        Assert.True(result.IsError);
        Assert.Contains("--claude-path", result.Text());
        Assert.Contains("CLAUDE_CODE_PATH", result.Text());
    }

    [Fact]
    public async Task Remedies_are_worded_as_tool_arguments_and_tools()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);

        var turns = await server.CallAsync("claude_code_execute", new { prompt = "fake:max-turns 3", working_dir = sandbox.WorkDir });
        var missing = await server.CallAsync("claude_code_check_result", new { task_id = "zzzzzzzz" });
        var malformed = await server.CallAsync("claude_code_check_result", new { task_id = "not an id" });

        Assert.True(turns.IsError);
        Assert.Contains("maximum number of turns", turns.Text());
        Assert.Contains("Raise max_turns", turns.Text());
        Assert.Contains("claude_code_list_tasks", missing.Text());
        Assert.Contains("claude_code_list_tasks", malformed.Text());
        Assert.All(new[] { turns, missing, malformed }, r => Assert.DoesNotContain("-MaxTurns", r.Text()));
        Assert.All(new[] { turns, missing, malformed }, r => Assert.DoesNotContain("Get-ClaudeTask", r.Text()));
    }

    [Theory]
    [InlineData("""{ "working_dir": "/tmp" }""", "prompt")]
    [InlineData("""{ "prompt": "hi", "max_turns": "many" }""", "max_turns")]
    [InlineData("""{ "prompt": "hi", "permission_mode": "yolo" }""", "acceptEdits")]
    [InlineData("""{ "prompt": "hi", "max_turns": 0 }""", "max_turns is out of range: it must be at least 1")]
    [InlineData("""{ "prompt": "hi", "max_turns": 9999999999 }""", "max_turns is out of range")]
    [InlineData("""{ "prompt": "hi", "max_turns": 2.5 }""", "max_turns must be an integer")]
    [InlineData("""{ "prompt": "hi", "max_budget_usd": 5000000 }""", "at most 1000000")]
    [InlineData("""{ "prompt": "hi", "timeout": -5 }""", "timeout")]
    [InlineData("""{ "prompt": "hi", "model": "--dangerously-skip-permissions" }""", "not a model name")]
    [InlineData("""{ "prompt": "hi", "allowed_tools": "Read" }""", "allowed_tools")]
    [InlineData("""{ "prompt": "   " }""", "empty")]
    [InlineData("""{ "prompt": "hi", "working_dir": "relative/dir" }""", "absolute")]
    public async Task Bad_arguments_are_errors_with_the_reason_and_the_server_keeps_serving(string json, string expected)
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);
        var args = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(json)!;
        if (!args.ContainsKey("working_dir") && args.ContainsKey("prompt")) args["working_dir"] = sandbox.WorkDir;

        var result = await server.Client.CallToolAsync("claude_code_execute_async", args);

        Assert.True(result.IsError, result.Text());
        Assert.Contains(expected, result.Text(), StringComparison.OrdinalIgnoreCase);
        await server.Client.ListToolsAsync();
        Assert.Empty(ProcessAssert.RunningIn(sandbox.Root));
    }

    [Fact]
    public async Task Unknown_tool_is_a_protocol_error_and_the_server_keeps_serving()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);

        await Assert.ThrowsAsync<McpProtocolException>(() => server.Client.CallToolAsync("claude_code_nope").AsTask());

        await server.Client.ListToolsAsync();
    }

    [Fact]
    public async Task Bad_wait_and_list_arguments_are_refused()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);

        Assert.Contains("'all' or 'any'", (await server.CallAsync("claude_code_wait", new { return_when = "some" })).Text());
        Assert.Contains("timed_out", (await server.CallAsync("claude_code_list_tasks", new { status = "done" })).Text());
        // Each limit is declared once: the refusal, the description and the schema say the same.
        var tools = (await server.Client.ListToolsAsync()).ToDictionary(t => t.Name);
        foreach (var (tool, parameter, bad, limits) in new (string, string, object, string)[]
                 {
                     ("claude_code_wait", "timeout", 3601, "at least 0 and at most 3600 seconds (1 hour)"),
                     ("claude_code_wait", "timeout", -1, "at least 0 and at most 3600 seconds (1 hour)"),
                     ("claude_code_list_tasks", "limit", 0, "at least 1 and at most 200"),
                     ("claude_code_list_tasks", "limit", 201, "at least 1 and at most 200"),
                     ("claude_code_get_output", "max_chars", 0, "at least 1 and at most 30000"),
                     ("claude_code_get_output", "max_chars", 30_001, "at least 1 and at most 30000"),
                     ("claude_code_get_output", "offset", -1, "at least 0"),
                 })
        {
            var arguments = new Dictionary<string, object?> { ["task_id"] = "abcdefgh", [parameter] = bad };
            if (tool != "claude_code_get_output") arguments.Remove("task_id");
            var refusal = await server.CallAsync(tool, arguments);
            Assert.True(refusal.IsError, $"{tool} {parameter}={bad}");
            Assert.Contains($"{parameter} is out of range: it must be {limits}, not {bad}.", refusal.Text());
            var declared = tools[tool].JsonSchema.GetProperty("properties").GetProperty(parameter);
            Assert.Contains(limits, declared.GetProperty("description").GetString(), StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(3600, tools["claude_code_wait"].JsonSchema.GetProperty("properties").GetProperty("timeout").GetProperty("maximum").GetDouble());
    }
}
