using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace ClaudeCodeMcp.Tests.Shared;

/// <summary>
/// Drives an MCP server process line by line, as a client would: requests matched to responses by id, lines sent
/// one at a time however many tasks send, and every stdout line kept so a test can check that nothing but
/// JSON-RPC ever appeared there. Shared by the tests of every door (linked into each test project). Requests carry
/// string ids, and only an answer with a string id is matched to one: an answer to a line a test wrote by hand, with
/// an id of another type, is counted in <see cref="Unmatched"/> instead.
/// </summary>
public class JsonRpcLineClient : IAsyncDisposable
{
    protected static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly StringBuilder _stderr = new();
    private readonly Task _reader;
    private int _nextId;
    private int _unmatched;

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

    /// <summary>JSON lines on stdout that answered no waiting request (notifications, answers to hand-written lines).</summary>
    public int Unmatched => Volatile.Read(ref _unmatched);

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
    public Task SendLineAsync(string line) => SendLineAsync(Encoding.UTF8.GetBytes(line));

    /// <summary>Writes one line of any bytes (not UTF-8, half a JSON text) and its newline, never interleaved with another.</summary>
    public async Task SendLineAsync(byte[] line)
    {
        var bytes = new byte[line.Length + 1];
        line.CopyTo(bytes, 0);
        bytes[^1] = (byte)'\n';
        var stdin = Process.StandardInput.BaseStream;
        await _writing.WaitAsync();
        try
        {
            await stdin.WriteAsync(bytes);
            await stdin.FlushAsync();
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>Sends a request and waits for the response with its id.</summary>
    public Task<JsonElement> RequestAsync(string method, object? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return RequestLineAsync(id, JsonSerializer.Serialize(new { jsonrpc = "2.0", id, method, @params = parameters ?? new { } }));
    }

    /// <summary>Sends <paramref name="line"/>, a request whose id is the string <paramref name="id"/>, and waits for the answer with that id.</summary>
    protected async Task<JsonElement> RequestLineAsync(string id, string line)
    {
        var answer = _pending.GetOrAdd(id, _ => new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_reader.IsCompleted && _pending.TryRemove(id, out _))
            throw new IOException($"The server has closed its output; request {id} cannot be answered: {Shorten(line)}. Its stderr:\n{Stderr}");
        await SendLineAsync(line);
        try
        {
            return await answer.Task.WaitAsync(Hang);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No answer to request {id} within {Hang.TotalSeconds} s (server exited: {Process.HasExited}): {Shorten(line)}");
        }
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
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(line);
            }
            catch (JsonException)
            {
                throw new Xunit.Sdk.XunitException($"stdout carried a line that is not JSON-RPC: {Shorten(line)}");
            }
            using (doc)
            {
                Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
                Assert.Equal("2.0", doc.RootElement.GetProperty("jsonrpc").GetString());
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
                if (doc.RootElement.ValueKind == JsonValueKind.Object
                    && doc.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                    && _pending.TryRemove(id.GetString()!, out var waiter))
                {
                    waiter.TrySetResult(doc.RootElement.Clone());
                }
                else
                {
                    Interlocked.Increment(ref _unmatched);
                }
            }
            catch (JsonException)
            {
                // Kept in StdoutLines; AssertOnlyJsonRpc reports it.
            }
        }
    }

    private static string Shorten(string line) => line.Length > 300 ? line[..300] + "…" : line;

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
