using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace ClaudeCodeMcp.Tests.Shared;

/// <summary>
/// Drives an MCP server process line by line, as a client would: requests matched to responses by id, lines sent
/// one at a time however many tasks send, and every stdout line kept so a test can check that nothing but
/// JSON-RPC ever appeared there. Shared by the tests of every door (linked into each test project).
/// </summary>
public class JsonRpcLineClient : IAsyncDisposable
{
    protected static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly StringBuilder _stderr = new();
    private readonly Task _reader;
    private int _nextId;

    /// <param name="process">Started with stdin, stdout and stderr redirected.</param>
    protected JsonRpcLineClient(Process process)
    {
        Process = process;
        _reader = Task.Run(ReadLoopAsync);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();
    }

    public Process Process { get; }
    public ConcurrentQueue<string> StdoutLines { get; } = new();

    public string Stderr
    {
        get
        {
            lock (_stderr) return _stderr.ToString();
        }
    }

    /// <summary>The initialize handshake (protocol 2025-11-25); returns the initialize response.</summary>
    public async Task<JsonElement> InitializeAsync(string clientName)
    {
        var init = await RequestAsync("initialize", new
        {
            protocolVersion = "2025-11-25",
            capabilities = new { },
            clientInfo = new { name = clientName, version = "1" },
        });
        await SendLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        return init;
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

    /// <summary>Sends a request and waits for the response with its id.</summary>
    public async Task<JsonElement> RequestAsync(string method, object? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var answer = _pending.GetOrAdd(id, _ => new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_reader.IsCompleted && _pending.TryRemove(id, out _))
            throw new IOException($"The server has closed its output; request {id} ({method}) cannot be answered. Its stderr:\n{Stderr}");
        await SendLineAsync(JsonSerializer.Serialize(new { jsonrpc = "2.0", id, method, @params = parameters ?? new { } }));
        return await answer.Task.WaitAsync(Hang);
    }

    public async Task<JsonElement> CallToolAsync(string name, object arguments) =>
        (await RequestAsync("tools/call", new { name, arguments })).GetProperty("result");

    public async Task CloseInputAsync() => await Task.Run(() => Process.StandardInput.Close());

    /// <summary>Every line the server wrote to stdout was a JSON-RPC 2.0 message (all of them, once it has exited).</summary>
    public void AssertOnlyJsonRpc()
    {
        if (Process.HasExited) _reader.Wait(Hang);
        Assert.NotEmpty(StdoutLines);
        foreach (var line in StdoutLines)
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

    private async Task ReadLoopAsync()
    {
        try
        {
            await ReadLinesAsync();
        }
        finally
        {
            // The server closed its output (it exited, or crashed at start): no answer can come now, so a request
            // still waiting fails at once with what the server said, instead of timing out a minute later.
            var ended = Process.WaitForExit(5_000) ? $"exited with code {Process.ExitCode}" : "closed its output";
            foreach (var id in _pending.Keys)
            {
                if (_pending.TryRemove(id, out var waiter))
                    waiter.TrySetException(new IOException($"The server {ended} before answering request {id}. Its stderr:\n{Stderr}"));
            }
        }
    }

    private async Task ReadLinesAsync()
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

    public virtual async ValueTask DisposeAsync()
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
        GC.SuppressFinalize(this);
    }
}
