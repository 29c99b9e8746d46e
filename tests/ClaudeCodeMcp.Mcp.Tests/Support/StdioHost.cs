using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using ClaudeCodeMcp.Engine.Tests.Support;

namespace ClaudeCodeMcp.Mcp.Tests.Support;

/// <summary>
/// The standalone <c>claude-code-mcp</c> in its own process, driven line by line as a client would.
/// Every stdout line is kept, so tests can check that nothing but JSON-RPC ever appeared there.
/// </summary>
public sealed class StdioHost : IAsyncDisposable
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly Task _reader;
    private int _nextId;

    private StdioHost(Process process)
    {
        Process = process;
        _reader = Task.Run(ReadLoopAsync);
    }

    public static string Path => TestPaths.Metadata("ServerHostPath");

    public Process Process { get; }
    public ConcurrentQueue<string> StdoutLines { get; } = new();
    public string Stderr => _stderr.ToString();
    private readonly System.Text.StringBuilder _stderr = new();

    public static ProcessStartInfo StartInfo(Sandbox sandbox, params string[] flags)
    {
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Outside the sandbox: processes inside it are the children, counted by the tests.
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var flag in new[] { "--state-dir", sandbox.StateDir, "--claude-path", TestPaths.FakeClaude }.Concat(flags)) psi.ArgumentList.Add(flag);
        psi.Environment.Clear();
        foreach (var (k, v) in sandbox.Environment) psi.Environment[k] = v;
        return psi;
    }

    public static async Task<StdioHost> StartAsync(Sandbox sandbox, params string[] flags)
    {
        var host = new StdioHost(Process.Start(StartInfo(sandbox, flags))!);
        host.Process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (host._stderr) host._stderr.AppendLine(e.Data);
        };
        host.Process.BeginErrorReadLine();
        var init = await host.RequestAsync("initialize", new
        {
            protocolVersion = "2025-11-25",
            capabilities = new { },
            clientInfo = new { name = "raw-test", version = "1" },
        });
        Assert.Equal("claude-code-mcp", init.GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
        await host.SendLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        return host;
    }

    /// <summary>Writes one line; several tasks may send at once, and their lines must never interleave.</summary>
    public async Task SendLineAsync(string line)
    {
        await _writing.WaitAsync();
        try
        {
            await Process.StandardInput.WriteAsync(line + "\n");
            await Process.StandardInput.FlushAsync();
        }
        finally
        {
            _writing.Release();
        }
    }

    private readonly SemaphoreSlim _writing = new(1, 1);

    /// <summary>Sends a request and waits for the response with its id.</summary>
    public async Task<JsonElement> RequestAsync(string method, object? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var answer = _pending.GetOrAdd(id, _ => new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously));
        await SendLineAsync(JsonSerializer.Serialize(new { jsonrpc = "2.0", id, method, @params = parameters ?? new { } }));
        return await answer.Task.WaitAsync(Hang);
    }

    public async Task<JsonElement> CallToolAsync(string name, object arguments) =>
        (await RequestAsync("tools/call", new { name, arguments })).GetProperty("result");

    public async Task CloseInputAsync() => await Task.Run(() => Process.StandardInput.Close());

    private async Task ReadLoopAsync()
    {
        string? line;
        while ((line = await Process.StandardOutput.ReadLineAsync()) is not null)
        {
            StdoutLines.Enqueue(line);
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.TryGetProperty("id", out var id) && _pending.TryRemove(id.ToString(), out var waiter))
                    waiter.TrySetResult(doc.RootElement.Clone());
            }
            catch (JsonException)
            {
                // Kept in StdoutLines; AssertOnlyJsonRpc reports it.
            }
        }
    }

    /// <summary>Every line the host wrote to stdout was a JSON-RPC 2.0 message.</summary>
    public void AssertOnlyJsonRpc()
    {
        Assert.NotEmpty(StdoutLines);
        foreach (var line in StdoutLines)
        {
            using var doc = JsonDocument.Parse(line);
            Assert.Equal("2.0", doc.RootElement.GetProperty("jsonrpc").GetString());
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
        await _reader.WaitAsync(Hang);
        Process.Dispose();
    }
}
