using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using ClaudeCodeMcp.Module.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Module.Tests.Server;

/// <summary>
/// Start-ClaudeMcpServer as Claude Code runs it: real pwsh 7.6.9, <c>pwsh -NoProfile -NonInteractive -Command
/// "Import-Module ...; Start-ClaudeMcpServer"</c>, whose console host prints every stream but errors on stdout, so any
/// stray output would corrupt the protocol. The server ends by stdin's end, by SIGINT, SIGTERM or SIGHUP, by Claude
/// Code's SIGINT→SIGTERM→SIGKILL, or by a SIGKILL alone; whichever, no child is left.
/// </summary>
public sealed class RealPwshServerTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_stdout_line_is_json_rpc_even_with_Verbose_and_input_end_stops_the_server_and_its_children()
    {
        await using var sandbox = new ModuleSandbox(import: false);
        await using var server = await PwshServer.StartAsync(sandbox, "-Verbose -ThrottleLimit 2");

        var tools = await server.RequestAsync("tools/list", new { });
        var done = await server.RequestAsync("tools/call", new { name = "claude_code_execute", arguments = new { prompt = "served by pwsh", working_dir = sandbox.WorkDir } });
        var children = await StartChildIgnoringSigtermAsync(server, sandbox);
        server.Process.StandardInput.Close();
        await server.Process.WaitForExitAsync().WaitAsync(Hang);

        Assert.Equal(8, tools.GetProperty("result").GetProperty("tools").GetArrayLength());
        Assert.Equal("served by pwsh", done.GetProperty("result").GetProperty("structuredContent").GetProperty("result").GetString());
        Assert.True(server.Process.ExitCode == 0, $"exit {server.Process.ExitCode}; stderr: {server.Stderr}");
        server.AssertOnlyJsonRpc();
        // The server stopped its child before it ended (a child that ignores SIGTERM, so the kill was needed).
        Assert.DoesNotContain(children, ProcessAssert.IsAlive);
        AssertRecordSaysTheServerStoppedIt(sandbox);
        await ProcessAssert.AssertNoneLeftInAsync(sandbox.Root);
    }

    /// <summary>
    /// pwsh on its own dies of SIGTERM and SIGHUP on the spot (exit -15), and stops a pipeline on SIGINT only after its
    /// own machinery has run. While it serves, the module handles all three itself: the server stops its children,
    /// writes why in their records and ends pwsh normally.
    /// </summary>
    [Theory]
    [InlineData(2)]  // SIGINT
    [InlineData(15)] // SIGTERM
    [InlineData(1)]  // SIGHUP
    public async Task A_signal_ends_the_server_after_it_stopped_its_children(int signal)
    {
        await using var sandbox = new ModuleSandbox(import: false);
        await using var server = await PwshServer.StartAsync(sandbox, "");
        var children = await StartChildIgnoringSigtermAsync(server, sandbox);

        Assert.Equal(0, Kill(server.Process.Id, signal));
        await server.Process.WaitForExitAsync().WaitAsync(Hang);

        // Not killed by the signal (that would be 128 + signal): the server ended, and its records say so.
        Assert.True(server.Process.ExitCode is 0 or 1, $"exit {server.Process.ExitCode} after signal {signal}; stderr: {server.Stderr}");
        Assert.DoesNotContain(children, ProcessAssert.IsAlive);
        AssertRecordSaysTheServerStoppedIt(sandbox);
        server.AssertOnlyJsonRpc();
        await ProcessAssert.AssertNoneLeftInAsync(sandbox.Root);
    }

    [Fact]
    public async Task Claude_Code_s_end_of_a_run_stops_the_server_and_its_children_and_records_why()
    {
        await using var sandbox = new ModuleSandbox(import: false);
        await using var server = await PwshServer.StartAsync(sandbox, "");
        var children = await StartChildIgnoringSigtermAsync(server, sandbox);

        await ClaudeCodeEnding.EndAsync(server.Process); // SIGINT, SIGTERM at 0.1 s, SIGKILL at 0.5 s

        server.AssertOnlyJsonRpc();
        // Gone: stopped by the server itself before the SIGKILL or, on a machine too busy for that, by its watchdog at
        // the SIGKILL; never more than 5 s after its end. The shutdown's own speed is measured in bench/ (scenario 8).
        await ProcessAssert.AssertGoneAsync(children, TimeSpan.FromSeconds(5));
        AssertRecordSaysTheServerStoppedIt(sandbox);
        await ProcessAssert.AssertNoneLeftInAsync(sandbox.Root);
    }

    [Fact]
    public async Task Children_die_with_a_pwsh_killed_by_SIGKILL()
    {
        await using var sandbox = new ModuleSandbox(import: false);
        await using var server = await PwshServer.StartAsync(sandbox, "");
        var children = await StartChildIgnoringSigtermAsync(server, sandbox);
        var watchdog = ProcessAssert.WatchdogOf(server.Process.Id);
        Assert.NotNull(watchdog);

        server.Process.Kill();
        await server.Process.WaitForExitAsync().WaitAsync(Hang);

        await ProcessAssert.AssertGoneAsync(children, TimeSpan.FromSeconds(5));
        await ProcessAssert.AssertGoneAsync([watchdog.Value], TimeSpan.FromSeconds(5));
        await ProcessAssert.AssertNoneLeftInAsync(sandbox.Root);
    }

    /// <summary>
    /// Registered at user scope, the server is loaded by every task's own Claude Code too, which inherits the child's
    /// CLAUDE_CODE_MCP_DEPTH: there it starts nothing and says why, unless -MaxDepth allows one more level.
    /// </summary>
    [Fact]
    public async Task Inside_a_task_the_server_starts_no_task_unless_MaxDepth_allows_it()
    {
        await using var sandbox = new ModuleSandbox(import: false);
        var insideATask = new Dictionary<string, string> { ["CLAUDE_CODE_MCP_DEPTH"] = "1", ["CLAUDE_CODE_MCP_TASK_ID"] = "abcd2345" };
        await using (var nested = await PwshServer.StartAsync(sandbox, "", insideATask))
        {
            var refused = await nested.CallToolAsync("claude_code_execute_async", new { prompt = "too deep", working_dir = sandbox.WorkDir });

            Assert.True(refused.GetProperty("isError").GetBoolean());
            Assert.Contains("inside a Claude task at depth 1", refused.GetProperty("content")[0].GetProperty("text").GetString());
        }

        await using var allowed = await PwshServer.StartAsync(sandbox, "-MaxDepth 2", insideATask);
        var done = await allowed.CallToolAsync("claude_code_execute", new { prompt = "one level deeper", working_dir = sandbox.WorkDir });

        Assert.Equal("one level deeper", done.GetProperty("structuredContent").GetProperty("result").GetString());
        Assert.Equal(2, done.GetProperty("structuredContent").GetProperty("depth").GetInt32());
        allowed.AssertOnlyJsonRpc();
    }

    /// <summary>Starts a task whose child ignores SIGTERM and sleeps; returns the processes running in the work folder.</summary>
    private static async Task<List<int>> StartChildIgnoringSigtermAsync(PwshServer server, ModuleSandbox sandbox)
    {
        await server.RequestAsync("tools/call", new { name = "claude_code_execute_async", arguments = new { prompt = "fake:ignore-sigterm\nfake:sleep 60000", working_dir = sandbox.WorkDir } });
        return await Eventually.ThatAsync(() => ProcessAssert.RunningIn(sandbox.WorkDir), found => found.Count > 0, "the child");
    }

    /// <summary>The one record, read raw (a reader of the store would repair an orphaned one): cancelled by the shutdown.</summary>
    private static void AssertRecordSaysTheServerStoppedIt(ModuleSandbox sandbox)
    {
        var records = Directory.GetFiles(Path.Combine(sandbox.StateDir, "tasks"), "record.json", SearchOption.AllDirectories)
            .Select(path => JsonDocument.Parse(File.ReadAllBytes(path)).RootElement)
            .Where(record => record.GetProperty("state").GetString() != "completed")
            .ToList();
        var record = Assert.Single(records);
        Assert.Equal("cancelled", record.GetProperty("state").GetString());
        Assert.Contains("owned it shut down", record.GetProperty("error").GetString());
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Real pwsh running Start-ClaudeMcpServer, driven line by line.</summary>
    private sealed class PwshServer : JsonRpcLineClient
    {
        private PwshServer(Process process) : base(process)
        {
        }

        public static async Task<PwshServer> StartAsync(ModuleSandbox sandbox, string parameters, IReadOnlyDictionary<string, string>? variables = null)
        {
            var script = $"Import-Module {RealPwsh.Quote(TestPaths.ModuleManifest)}; Start-ClaudeMcpServer -StateDirectory {RealPwsh.Quote(sandbox.StateDir)} "
                         + $"-ClaudePath {RealPwsh.Quote(TestPaths.FakeClaude)} {parameters}";
            var start = RealPwsh.StartInfo(script, AppContext.BaseDirectory);
            foreach (var (name, value) in variables ?? new Dictionary<string, string>()) start.Environment[name] = value;
            var server = new PwshServer(Process.Start(start)!);
            await server.InitializeAsync("pwsh-test");
            return server;
        }
    }
}
