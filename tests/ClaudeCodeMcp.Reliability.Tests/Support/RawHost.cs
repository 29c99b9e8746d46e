using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;

namespace ClaudeCodeMcp.Reliability.Tests.Support;

/// <summary>
/// The standalone host driven with raw bytes: any line (valid, invalid, truncated, not UTF-8) can be sent, and
/// answers are matched to requests by their string id. Every stdout line is kept for the JSON-RPC-only check.
/// </summary>
public sealed class RawHost : IAsyncDisposable
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly StringBuilder _stderr = new();
    private readonly Stream _stdin;
    private readonly Task _reader;
    private int _next;

    private RawHost(Process process)
    {
        Process = process;
        _stdin = process.StandardInput.BaseStream;
        _reader = Task.Run(ReadLoopAsync);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();
    }

    public Process Process { get; }
    public ConcurrentQueue<string> StdoutLines { get; } = new();
    public int Unmatched;

    public string Stderr
    {
        get
        {
            lock (_stderr) return _stderr.ToString();
        }
    }

    public static async Task<RawHost> StartAsync(Sandbox sandbox, params string[] flags)
    {
        var host = new RawHost(Process.Start(StdioHost.StartInfo(sandbox, flags))!);
        var init = await host.RequestAsync("initialize", """{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"fuzz","version":"1"}}""");
        Assert.True(init.TryGetProperty("result", out _), init.ToString());
        await host.SendAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}"""u8.ToArray());
        return host;
    }

    public async Task SendAsync(byte[] line)
    {
        await _stdin.WriteAsync(line);
        await _stdin.WriteAsync("\n"u8.ToArray());
        await _stdin.FlushAsync();
    }

    public string NextId(string prefix) => $"{prefix}-{Interlocked.Increment(ref _next)}";

    /// <summary>Sends <c>{"jsonrpc":"2.0","id":id,"method":method,"params":paramsJson}</c> and waits for its answer.</summary>
    public Task<JsonElement> RequestAsync(string method, string paramsJson) =>
        RequestAsync(NextId("q"), id => $$"""{"jsonrpc":"2.0","id":"{{id}}","method":"{{method}}","params":{{paramsJson}}}""");

    /// <summary>Sends the line made for a fresh id and waits for the answer with that id.</summary>
    public async Task<JsonElement> RequestAsync(string id, Func<string, string> line)
    {
        var answer = _pending.GetOrAdd(id, _ => new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously));
        await SendAsync(Encoding.UTF8.GetBytes(line(id)));
        try
        {
            return await answer.Task.WaitAsync(Hang);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no answer to request {id} within {Hang.TotalSeconds} s (host exited: {Process.HasExited})");
        }
    }

    private async Task ReadLoopAsync()
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
                    Interlocked.Increment(ref Unmatched);
                }
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
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(line);
            }
            catch (JsonException)
            {
                throw new Xunit.Sdk.XunitException("not JSON on stdout: " + (line.Length > 300 ? line[..300] : line));
            }
            using (doc)
            {
                Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
                Assert.Equal("2.0", doc.RootElement.GetProperty("jsonrpc").GetString());
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            try
            {
                _stdin.Close();
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
