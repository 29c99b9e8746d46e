using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using ClaudeCodeMcp.Module.Tests.Support;

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
        await Processes.AssertNoneLeftInAsync(sandbox.Root);
    }

    [Fact]
    public async Task Sigint_as_Claude_Code_sends_at_the_end_of_a_run_stops_the_server_and_its_children()
    {
        await using var sandbox = new ModuleSandbox(import: false);
        await using var server = await PwshServer.StartAsync(sandbox, "");
        await server.RequestAsync("tools/call", new { name = "claude_code_execute_async", arguments = new { prompt = "fake:ignore-sigterm\nfake:sleep 60000", working_dir = sandbox.WorkDir } });
        var deadline = DateTime.UtcNow + Hang;
        while (Processes.RunningIn(sandbox.Root).Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);

        var clock = Stopwatch.StartNew();
        Process.Start("kill", ["-INT", server.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        await server.Process.WaitForExitAsync().WaitAsync(Hang);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the server took {clock.ElapsedMilliseconds} ms to stop");
        server.AssertOnlyJsonRpc();
        await Processes.AssertNoneLeftInAsync(sandbox.Root);
    }

    /// <summary>PwshHost running Start-ClaudeMcpServer, driven line by line.</summary>
    private sealed class PwshServer : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
        private readonly ConcurrentQueue<string> _lines = new();
        private readonly Task _reader;
        private int _id;

        private PwshServer(Process process)
        {
            Process = process;
            _reader = Task.Run(async () =>
            {
                string? line;
                while ((line = await process.StandardOutput.ReadLineAsync()) is not null)
                {
                    _lines.Enqueue(line);
                    try
                    {
                        using var doc = JsonDocument.Parse(line);
                        if (doc.RootElement.TryGetProperty("id", out var id) && _pending.TryRemove(id.ToString(), out var waiter))
                            waiter.TrySetResult(doc.RootElement.Clone());
                    }
                    catch (JsonException)
                    {
                        // Kept; AssertOnlyJsonRpc fails on it.
                    }
                }
            });
        }

        public Process Process { get; }

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
            _ = server.Process.StandardError.ReadToEndAsync();
            await server.RequestAsync("initialize", new { protocolVersion = "2025-11-25", capabilities = new { }, clientInfo = new { name = "pwsh-test", version = "1" } });
            await server.SendAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
            return server;
        }

        public async Task<JsonElement> RequestAsync(string method, object parameters)
        {
            var id = Interlocked.Increment(ref _id).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var answer = _pending.GetOrAdd(id, _ => new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously));
            await SendAsync(JsonSerializer.Serialize(new { jsonrpc = "2.0", id, method, @params = parameters }));
            return await answer.Task.WaitAsync(Hang);
        }

        private async Task SendAsync(string line)
        {
            await Process.StandardInput.WriteAsync(line + "\n");
            await Process.StandardInput.FlushAsync();
        }

        public void AssertOnlyJsonRpc()
        {
            _reader.Wait(Hang);
            Assert.NotEmpty(_lines);
            foreach (var line in _lines)
            {
                try
                {
                    using var doc = JsonDocument.Parse(line);
                    Assert.Equal("2.0", doc.RootElement.GetProperty("jsonrpc").GetString());
                }
                catch (JsonException)
                {
                    Assert.Fail($"stdout carried a line that is not JSON-RPC: {line}");
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
            {
                try
                {
                    Process.StandardInput.Close();
                }
                catch (IOException)
                {
                }
                if (!Process.WaitForExit(10_000)) Process.Kill(entireProcessTree: true);
            }
            await Process.WaitForExitAsync();
            Process.Dispose();
        }
    }
}
