using System.Diagnostics;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;
using ClaudeCodeMcp.Reliability.Tests.Support;

namespace ClaudeCodeMcp.Reliability.Tests.Boundaries;

/// <summary>--deny-skip-permissions, owner-only state, and logs that keep secrets.</summary>
public sealed class PolicyTests
{
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static TheoryData<string, bool> DenyCases => new()
    {
        { """{"skip_permissions":true}""", false },
        { """{"permission_mode":"bypassPermissions"}""", false },
        { """{"skip_permissions":true,"permission_mode":"acceptEdits"}""", false },
        { """{"skip_permissions":false,"permission_mode":"bypassPermissions"}""", false },
        { """{"permission_mode":" bypassPermissions"}""", false },
        { """{"permission_mode":"BypassPermissions"}""", false },
        { """{"permission_mode":"bypassPermissions\n"}""", false },
        { """{"skip_permissions":false,"skip_permissions":true}""", false },
        { """{"skip_permissions":"true"}""", false },
        { """{"skip_permissions":1}""", false },
        { """{"append_system_prompt":"--dangerously-skip-permissions"}""", true },
        { """{"allowed_tools":["Bash --dangerously-skip-permissions"]}""", true },
        { """{"model":"a--dangerously-skip-permissions"}""", true },
        { """{}""", true },
        { """{"skip_permissions":false}""", true },
        { """{"skip_permissions":null}""", true },
        { """{"skip_permissions":false,"permission_mode":"acceptEdits"}""", true },
        { """{"skip_permissions":true,"skip_permissions":false}""", true },
    };

    [Theory]
    [MemberData(nameof(DenyCases))]
    public async Task Under_deny_skip_permissions_skipping_is_refused_and_nothing_accepted_ever_skips(string extra, bool accepted)
    {
        await using var sandbox = new Sandbox();
        var recorder = new ArgvRecorder(sandbox);
        await using var host = await RawHost.StartAsync(sandbox, "--deny-skip-permissions", "--claude-path", recorder.Path);
        var prompt = Input.J.Str("fake:text ok").ToString();
        var dir = Input.J.Str(sandbox.WorkDir).ToString();
        var members = extra.Length > 2 ? "," + extra[1..^1] : "";

        foreach (var tool in new[] { "claude_code_execute_async", "claude_code_execute" })
        {
            var arguments = "{\"prompt\":" + prompt + ",\"working_dir\":" + dir + members + "}";
            var answer = await host.RequestAsync(host.NextId("d"), id =>
                $$$"""{"jsonrpc":"2.0","id":"{{{id}}}","method":"tools/call","params":{"name":"{{{tool}}}","arguments":{{{arguments}}}}}""");
            var result = answer.GetProperty("result");
            var started = result.StructuredOrNull().Str("task_id") is not null;
            Assert.True(started == accepted, $"{tool} {extra}: {result.Text()}");
            if (!accepted && extra.Contains("true") && !extra.Contains("\"true\"") && !extra.Contains(":1"))
                Assert.Contains("--deny-skip-permissions", result.Text());
        }
        await Until.AllFinishedAsync(sandbox.StateDir, accepted ? 2 : 0, TimeSpan.FromSeconds(60));
        var starts = recorder.Starts();
        Assert.Equal(accepted ? 2 : 0, starts.Count);
        foreach (var (argv, _) in starts)
        {
            Assert.DoesNotContain("--dangerously-skip-permissions", argv);
            Assert.DoesNotContain(argv, a => a.StartsWith("--permission-mode=bypass", StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task Every_file_and_folder_the_product_creates_is_owner_only()
    {
        await using var sandbox = new Sandbox();
        var log = sandbox.File("host.log");
        await using (var host = await StdioHost.StartAsync(sandbox, "--log-file", log, "--verbose"))
        {
            await host.CallToolAsync("claude_code_execute", new { prompt = "fake:tool Read {}\nfake:text fine", working_dir = sandbox.WorkDir });
            await host.CallToolAsync("claude_code_execute", new { prompt = "fake:stderr boom\nfake:exit 3", working_dir = sandbox.WorkDir });
            await host.CallToolAsync("claude_code_execute", new { prompt = "fake:sleep 60000", working_dir = sandbox.WorkDir, timeout = 0.5 });
            var running = await host.CallToolAsync("claude_code_execute_async", new { prompt = "fake:sleep 60000", working_dir = sandbox.WorkDir });
            await host.CallToolAsync("claude_code_cancel", new { task_id = running.StructuredContent().GetProperty("task_id").GetString() });
            await host.CallToolAsync("claude_code_execute_async", new { prompt = "fake:sleep 60000", working_dir = sandbox.WorkDir }); // stopped at exit
        }
        // And a second process's engine on the same store (the EngineHost), with a stop request from here.
        var engineHost = sandbox.StartHost();
        Assert.Equal("ready", await engineHost.ReadLineAsync());
        var promptFile = sandbox.File("p.txt");
        File.WriteAllText(promptFile, "fake:sleep 60000");
        var (id, _) = await engineHost.StartTaskAsync(promptFile);
        await sandbox.Manager().StopAsync(id);
        Assert.Equal("bye", await engineHost.SendAsync("exit"));

        var entries = new List<string> { sandbox.StateDir, log };
        entries.AddRange(Directory.EnumerateFileSystemEntries(sandbox.StateDir, "*", SearchOption.AllDirectories));
        Assert.True(entries.Count > 20, $"only {entries.Count} entries");
        foreach (var entry in entries)
        {
            var mode = File.GetUnixFileMode(entry);
            Assert.True((mode & GroupOrOther) == 0, $"{entry} is {Convert.ToString((int)mode, 8)}");
        }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(sandbox.StateDir));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Neither_prompts_nor_environment_values_reach_the_log_or_stderr(bool verbose)
    {
        await using var sandbox = new Sandbox();
        var secretPrompt = "sk-ant-api03-PROMPT" + Guid.NewGuid().ToString("N");
        var secretEnv = "sk-ant-api03-ENV" + Guid.NewGuid().ToString("N");
        sandbox.Environment["ANTHROPIC_API_KEY"] = secretEnv;
        sandbox.Environment["MY_SERVICE_TOKEN"] = secretEnv + "-2";
        var log = sandbox.File("host.log");
        var flags = verbose ? new[] { "--log-file", log, "--verbose" } : ["--log-file", log];
        string stderr;
        await using (var host = await StdioHost.StartAsync(sandbox, flags))
        {
            var dir = sandbox.WorkDir;
            await host.CallToolAsync("claude_code_execute", new { prompt = $"fake:text {secretPrompt}", working_dir = dir });
            await host.CallToolAsync("claude_code_execute", new { prompt = $"{secretPrompt}\nfake:stderr {secretPrompt}\nfake:exit 1", working_dir = dir });
            await host.CallToolAsync("claude_code_execute", new { prompt = $"fake:api-error 500 {secretPrompt}", working_dir = dir });
            await host.CallToolAsync("claude_code_execute_async", new { prompt = secretPrompt, working_dir = "/nonexistent/" + secretPrompt });
            await host.CallToolAsync("claude_code_execute_async", new { prompt = secretPrompt + "\0", working_dir = dir });
            await host.CallToolAsync("claude_code_execute_async", new { prompt = new { nested = secretPrompt }, working_dir = dir });
            await host.CallToolAsync("claude_code_execute_async", new { prompt = secretPrompt, model = "--" + secretPrompt, working_dir = dir });
            await host.CallToolAsync("claude_code_execute_async", new { prompt = secretPrompt, working_dir = dir, max_turns = secretPrompt });
            await host.CallToolAsync("claude_code_check_result", new { task_id = secretPrompt });
            await host.CallToolAsync("claude_code_wait", new { task_ids = new[] { secretPrompt }, return_when = secretPrompt });
            await host.RequestAsync("tools/call", new { name = "claude_code_nope", arguments = new { x = secretPrompt } });
            await host.RequestAsync("tools/call", new { name = "claude_code_list_tasks", arguments = secretPrompt });
            await host.SendLineAsync("""{"jsonrpc":"2.0","id":"lone","method":"tools/call","params":{"name":"claude_code_execute","arguments":{"prompt":"\ud800""" + secretPrompt + "\"}}}");
            await host.SendLineAsync("{\"jsonrpc\":\"2.0\",\"id\":\"bad\",\"method\":\"no/such\",\"params\":{\"p\":\"" + secretPrompt + "\"}}");
            await host.SendLineAsync(secretPrompt + " is not json");
            Assert.True((await host.RequestAsync("ping")).TryGetProperty("result", out _));
            host.AssertOnlyJsonRpc();
            stderr = host.Stderr;
        }
        var logText = File.Exists(log) ? File.ReadAllText(log) : "";
        foreach (var secret in new[] { secretPrompt, secretEnv })
        {
            Assert.DoesNotContain(secret, logText);
            Assert.DoesNotContain(secret, stderr);
        }
        if (verbose) Assert.NotEmpty(logText); // the verbose log does say something
    }

    [Fact]
    public async Task A_client_cannot_forge_log_entries_through_a_tool_or_method_name()
    {
        await using var sandbox = new Sandbox();
        var log = sandbox.File("host.log");
        const string Forged = "1999-01-01T00:00:00.0000000+00:00 Error forged: the server was compromised";
        await using (var host = await StdioHost.StartAsync(sandbox, "--log-file", log))
        {
            await host.RequestAsync("tools/call", new { name = "x\n" + Forged, arguments = new { } });
            await host.RequestAsync("x\n" + Forged);
        }

        Assert.DoesNotContain(File.ReadAllLines(log), line => line.StartsWith(Forged, StringComparison.Ordinal));
    }
}
