using System.Diagnostics;
using ClaudeCodeMcp.Module.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Module.Tests.Server;

/// <summary>
/// Start-ClaudeMcpServer in a process of its own, as `pwsh -NoProfile -NonInteractive -Command "Import-Module ...;
/// Start-ClaudeMcpServer"` runs it: PwshHost hosts the real engine behind a host that writes every stream to stdout,
/// as pwsh's console host does, so any stray output would corrupt the protocol here.
/// </summary>
public sealed class ConsoleHostServerTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_stdout_line_is_json_rpc_even_with_Verbose_and_input_end_stops_the_server()
    {
        await using var sandbox = new ModuleSandbox(import: false);
        await using var server = await PwshServer.StartAsync(sandbox, "-Verbose -ThrottleLimit 2");

        var tools = await server.RequestAsync("tools/list", new { });
        var done = await server.RequestAsync("tools/call", new { name = "claude_code_execute", arguments = new { prompt = "served by pwsh", working_dir = sandbox.WorkDir } });
        await server.RequestAsync("tools/call", new { name = "claude_code_execute_async", arguments = new { prompt = "fake:sleep 60000", working_dir = sandbox.WorkDir } });
        server.Process.StandardInput.Close();
        await server.Process.WaitForExitAsync().WaitAsync(Hang);

        Assert.Equal(7, tools.GetProperty("result").GetProperty("tools").GetArrayLength());
        Assert.Equal("served by pwsh", done.GetProperty("result").GetProperty("structuredContent").GetProperty("result").GetString());
        Assert.Equal(0, server.Process.ExitCode);
        server.AssertOnlyJsonRpc();
        await ProcessAssert.AssertNoneLeftInAsync(sandbox.Root);
    }

    [Fact]
    public async Task Claude_Code_s_end_of_a_run_stops_the_server_and_its_children_and_records_why()
    {
        await using var sandbox = new ModuleSandbox(import: false);
        await using var server = await PwshServer.StartAsync(sandbox, "");
        await server.RequestAsync("tools/call", new { name = "claude_code_execute_async", arguments = new { prompt = "fake:ignore-sigterm\nfake:sleep 60000", working_dir = sandbox.WorkDir } });
        var children = await Eventually.ThatAsync(() => ProcessAssert.RunningIn(sandbox.Root), found => found.Count > 0, "the child");

        await ClaudeCodeEnding.EndAsync(server.Process); // SIGINT, SIGTERM at 0.1 s, SIGKILL at 0.5 s

        server.AssertOnlyJsonRpc();
        // Gone: stopped by the server itself before the SIGKILL or, on a machine too busy for that, by its watchdog at
        // the SIGKILL; never more than 5 s after its end. The shutdown's own speed is measured in bench/ (scenario 8).
        await ProcessAssert.AssertGoneAsync(children, TimeSpan.FromSeconds(5));
        // The record as the server left it (read raw: a reader of the store would repair an orphaned one).
        var record = Assert.Single(Directory.GetFiles(Path.Combine(sandbox.StateDir, "tasks"), "record.json", SearchOption.AllDirectories));
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(record));
        Assert.Equal("cancelled", json.RootElement.GetProperty("state").GetString());
        Assert.Contains("owned it shut down", json.RootElement.GetProperty("error").GetString());
        await ProcessAssert.AssertNoneLeftInAsync(sandbox.Root);
    }

    /// <summary>PwshHost running Start-ClaudeMcpServer, driven line by line.</summary>
    private sealed class PwshServer : JsonRpcLineClient
    {
        private PwshServer(Process process) : base(process)
        {
        }

        public static async Task<PwshServer> StartAsync(ModuleSandbox sandbox, string parameters)
        {
            var script = $"Import-Module '{TestPaths.ModuleManifest}'; Start-ClaudeMcpServer -StateDirectory '{sandbox.StateDir}' -ClaudePath '{TestPaths.FakeClaude}' {parameters}";
            var psi = new ProcessStartInfo(TestPaths.PwshHost)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            psi.ArgumentList.Add("-Command");
            psi.ArgumentList.Add(script);
            var server = new PwshServer(Process.Start(psi)!);
            await server.InitializeAsync("pwsh-test");
            return server;
        }
    }
}
