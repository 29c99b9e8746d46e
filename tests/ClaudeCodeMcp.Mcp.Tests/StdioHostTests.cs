using System.Diagnostics;
using System.Text.Json;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;
using ModelContextProtocol.Client;

namespace ClaudeCodeMcp.Mcp.Tests;

/// <summary>The standalone claude-code-mcp in its own process, as Claude Code starts it.</summary>
public sealed class StdioHostTests
{
    [Fact]
    public async Task The_sdk_client_starts_the_host_lists_its_tools_and_runs_a_task()
    {
        await using var sandbox = new Sandbox();
        var psi = StdioHost.StartInfo(sandbox);
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = psi.FileName,
            Arguments = [.. psi.ArgumentList],
            WorkingDirectory = psi.WorkingDirectory,
            EnvironmentVariables = sandbox.Environment.ToDictionary(kv => kv.Key, kv => (string?)kv.Value),
        });
        await using var client = await McpClient.CreateAsync(transport);

        var tools = await client.ListToolsAsync();
        var result = await client.CallToolAsync("claude_code_execute", new Dictionary<string, object?> { ["prompt"] = "over stdio", ["working_dir"] = sandbox.WorkDir });

        Assert.Equal(8, tools.Count);
        Assert.False(result.IsError);
        Assert.Equal("over stdio", result.Structured().Str("result"));
    }

    [Fact]
    public async Task Bad_input_of_every_kind_is_answered_and_the_host_keeps_serving_with_only_json_rpc_on_stdout()
    {
        await using var sandbox = new Sandbox();
        await using var host = await StdioHost.StartAsync(sandbox, "--verbose");

        foreach (var junk in new[] { "this is not json", "{", "[]", "[1,2]", "{\"jsonrpc\":\"2.0\"}", "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}", "\u0000\u0001", "" })
            await host.SendLineAsync(junk);
        var unknownMethod = await host.RequestAsync("no/such/method");
        Assert.Equal(-32601, unknownMethod.GetProperty("error").GetProperty("code").GetInt32());
        var unknownTool = await host.RequestAsync("tools/call", new { name = "claude_code_nope", arguments = new { } });
        Assert.True(unknownTool.TryGetProperty("error", out _));
        var missing = await host.CallToolAsync("claude_code_execute_async", new { working_dir = sandbox.WorkDir });
        Assert.True(missing.GetProperty("isError").GetBoolean());
        var mistyped = await host.CallToolAsync("claude_code_execute_async", new { prompt = 42, working_dir = sandbox.WorkDir });
        Assert.True(mistyped.GetProperty("isError").GetBoolean());
        Assert.Contains("prompt must be a string", mistyped.GetProperty("content")[0].GetProperty("text").GetString());
        var traversal = await host.CallToolAsync("claude_code_check_result", new { task_id = "../../../../etc/passwd" });
        Assert.True(traversal.GetProperty("isError").GetBoolean());

        var tooBig = await host.CallToolAsync("claude_code_execute", new { prompt = new string('x', 10 * 1024 * 1024), working_dir = sandbox.WorkDir });
        Assert.True(tooBig.GetProperty("isError").GetBoolean());
        Assert.Contains("the limit is 1,048,576 (1 MiB)", tooBig.GetProperty("content")[0].GetProperty("text").GetString());
        var huge = new string('x', Engine.TaskLimits.MaxPromptBytes);
        var big = await host.CallToolAsync("claude_code_execute", new { prompt = huge, working_dir = sandbox.WorkDir });
        Assert.False(big.GetProperty("isError").GetBoolean(), big.ToString()[..Math.Min(500, big.ToString().Length)]);
        Assert.True(big.GetProperty("structuredContent").GetProperty("result_truncated").GetBoolean());
        Assert.True(big.GetRawText().Length < 200_000, $"a 1 MiB result came back as {big.GetRawText().Length} characters");

        var ping = await host.RequestAsync("ping");
        Assert.True(ping.TryGetProperty("result", out _));
        host.AssertOnlyJsonRpc();
        Assert.DoesNotContain(huge[..100], host.Stderr);
    }

    [Fact]
    public async Task End_of_input_ends_the_host_stops_its_children_and_keeps_finished_tasks()
    {
        await using var sandbox = new Sandbox();
        await using var host = await StdioHost.StartAsync(sandbox);
        var done = await host.CallToolAsync("claude_code_execute", new { prompt = "finished first", working_dir = sandbox.WorkDir });
        await host.CallToolAsync("claude_code_execute_async", new { prompt = "fake:ignore-sigterm\nfake:sleep 60000", working_dir = sandbox.WorkDir });
        _ = host.CallToolAsync("claude_code_execute", new { prompt = "fake:sleep 60000", working_dir = sandbox.WorkDir });
        await Eventually.TrueAsync(() => ProcessAssert.RunningIn(sandbox.Root).Count == 2, "the two children");

        await host.CloseInputAsync();
        await host.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, host.Process.ExitCode);
        Assert.Empty(ProcessAssert.RunningIn(sandbox.Root));
        var store = new Engine.Store.TaskStore(sandbox.StateDir);
        Assert.Equal("finished first", store.Read(done.GetProperty("structuredContent").Str("task_id"))!.Result);
        var stopped = store.List().Where(t => t.Result != "finished first").ToList();
        Assert.Equal(2, stopped.Count);
        Assert.All(stopped, t => Assert.Equal(Engine.ClaudeTaskState.Cancelled, t.State));
        Assert.All(stopped, t => Assert.Contains("shut down", t.Error));
        Assert.All(stopped, t => Assert.Null(t.Child));
    }

    /// <summary>
    /// A host that a task's own Claude Code loaded (it inherits the child's CLAUDE_CODE_MCP_DEPTH) starts no task of its
    /// own and tells the model why; --max-depth lets it go one level deeper, and its child carries the next depth.
    /// </summary>
    [Fact]
    public async Task A_host_inside_a_task_refuses_to_start_tasks_saying_why_unless_max_depth_allows_it()
    {
        await using var sandbox = new Sandbox();
        sandbox.Environment["CLAUDE_CODE_MCP_DEPTH"] = "1";
        await using (var nested = await StdioHost.StartAsync(sandbox))
        {
            var refused = await nested.CallToolAsync("claude_code_execute_async", new { prompt = "one level too deep", working_dir = sandbox.WorkDir });

            Assert.True(refused.GetProperty("isError").GetBoolean());
            var text = refused.GetProperty("content")[0].GetProperty("text").GetString()!;
            Assert.Contains("inside a Claude task at depth 1", text);
            Assert.Contains("--max-depth", text);
            Assert.Empty(new Engine.Store.TaskStore(sandbox.StateDir).List());
        }

        await using var allowed = await StdioHost.StartAsync(sandbox, "--max-depth", "2");
        var report = Path.Combine(sandbox.Root, "env.json");
        var done = await allowed.CallToolAsync("claude_code_execute", new { prompt = $"fake:report {report}", working_dir = sandbox.WorkDir });

        Assert.Equal(2, done.GetProperty("structuredContent").GetProperty("depth").GetInt32());
        using var json = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(report));
        Assert.Equal("2", json.RootElement.GetProperty("env").GetProperty("CLAUDE_CODE_MCP_DEPTH").GetString());
    }

    /// <summary>
    /// Claude Code ends a -p run by sending its stdio servers SIGINT, SIGTERM 0.1 s later and SIGKILL at 0.5 s: by
    /// then the children, one of which ignores SIGTERM, are gone and their records say they were stopped.
    /// </summary>
    [Fact]
    public async Task Claude_Code_s_end_of_a_run_leaves_no_child_and_records_saying_they_were_stopped()
    {
        await using var sandbox = new Sandbox();
        await using var host = await StdioHost.StartAsync(sandbox);
        await host.CallToolAsync("claude_code_execute_async", new { prompt = "fake:ignore-sigterm\nfake:sleep 60000", working_dir = sandbox.WorkDir });
        await host.CallToolAsync("claude_code_execute_async", new { prompt = "fake:sleep 60000", working_dir = sandbox.WorkDir });
        await Eventually.TrueAsync(() => ProcessAssert.RunningIn(sandbox.Root).Count == 2, "the two children");
        var children = ProcessAssert.RunningIn(sandbox.Root);

        await ClaudeCodeEnding.EndAsync(host.Process);

        // Gone: stopped by the server itself before the SIGKILL or, on a machine too busy for that, by its watchdog at
        // the SIGKILL; never more than 5 s after its end. The shutdown's own speed is measured in bench/ (scenario 8).
        await ProcessAssert.AssertGoneAsync(children, TimeSpan.FromSeconds(5));
        var tasks = new Engine.Store.TaskStore(sandbox.StateDir).List(); // as the host left them: read raw, nothing repaired
        Assert.Equal(2, tasks.Count);
        Assert.All(tasks, t => Assert.Equal(Engine.ClaudeTaskState.Cancelled, t.State));
        Assert.All(tasks, t => Assert.Contains("owned it shut down", t.Error));
    }

    [Theory]
    [InlineData(2, "SIGINT")]
    [InlineData(15, "SIGTERM")]
    [InlineData(1, "SIGHUP")]
    public async Task A_signal_alone_ends_the_host_and_stops_its_children(int signal, string name)
    {
        await using var sandbox = new Sandbox();
        await using var host = await StdioHost.StartAsync(sandbox);
        await host.CallToolAsync("claude_code_execute_async", new { prompt = "fake:ignore-sigterm\nfake:sleep 60000", working_dir = sandbox.WorkDir });
        await Eventually.TrueAsync(() => ProcessAssert.RunningIn(sandbox.Root).Count == 1, "the child");

        Assert.True(Engine.Processes.PosixSignals.Send(host.Process.Id, signal), name);
        await host.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(ProcessAssert.RunningIn(sandbox.Root));
        var task = Assert.Single(new Engine.Store.TaskStore(sandbox.StateDir).List());
        Assert.Equal(Engine.ClaudeTaskState.Cancelled, task.State);
        Assert.Null(task.Child);
    }

    [Fact]
    public async Task Help_and_version_print_and_exit_and_a_bad_flag_says_what_is_wrong()
    {
        await using var sandbox = new Sandbox();
        var (helpCode, help, _) = await RunAsync("--help");
        var (versionCode, version, _) = await RunAsync("--version");
        var (badCode, badOut, badErr) = await RunAsync("--throttle-limit", "zero");
        var (unknownCode, _, unknownErr) = await RunAsync("--frobnicate");
        var (childrenCode, _, childrenErr) = await RunAsync("--max-children", "0");
        var (depthCode, _, depthErr) = await RunAsync("--max-depth=-1");

        Assert.Equal(0, helpCode);
        Assert.Contains("--allowed-dir", help);
        Assert.Contains("claude mcp add", help);
        Assert.Equal(0, versionCode);
        Assert.Matches(@"^claude-code-mcp \d+\.\d+\.\d+", version);
        Assert.Equal(2, badCode);
        Assert.Empty(badOut);
        Assert.Contains("--throttle-limit takes a whole number", badErr);
        Assert.Equal(2, unknownCode);
        Assert.Contains("Unknown option '--frobnicate'", unknownErr);
        Assert.Contains("--max-children", help);
        Assert.Contains("--max-depth", help);
        Assert.Equal((2, 2), (childrenCode, depthCode));
        Assert.Contains("--max-children takes a whole number from 1 to 1000, not '0'", childrenErr);
        Assert.Contains("--max-depth takes a whole number from 1 to 100, not '-1'", depthErr);
    }

    [Fact]
    public async Task An_unusable_state_folder_stops_the_host_with_its_own_flag_named()
    {
        await using var sandbox = new Sandbox();
        var file = Path.Combine(sandbox.Root, "a-file");
        await File.WriteAllTextAsync(file, "not a folder");

        var (code, stdout, stderr) = await RunAsync("--state-dir", Path.Combine(file, "state"), "--claude-path", TestPaths.FakeClaude);

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains("--state-dir", stderr);
        Assert.Contains("CLAUDE_CODE_MCP_STATE_DIR", stderr);
        Assert.DoesNotContain("-StateDirectory", stderr);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(StdioHost.Path) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, await stdout, await stderr);
    }
}
