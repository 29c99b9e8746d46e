using System.Diagnostics;
using System.Text.Json;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Reliability.Tests.Support;

/// <summary>
/// The standalone host driven with raw lines: any line (valid, invalid, truncated, not UTF-8) can be sent with
/// <see cref="JsonRpcLineClient.SendLineAsync(byte[])"/>, and a request written by hand waits for the answer with its
/// string id. Answers to the raw lines (ids "r-…" or not strings) match none of these ids and are counted in
/// <see cref="JsonRpcLineClient.Unmatched"/>.
/// </summary>
public sealed class RawHost : JsonRpcLineClient
{
    private int _next;

    private RawHost(Process process) : base(process)
    {
    }

    public static async Task<RawHost> StartAsync(Sandbox sandbox, params string[] flags)
    {
        var host = new RawHost(Process.Start(StdioHost.StartInfo(sandbox, flags))!);
        var init = await host.InitializeAsync("fuzz");
        Assert.True(init.TryGetProperty("result", out _), init.ToString());
        return host;
    }

    /// <summary>A fresh request id, <c>prefix-n</c>.</summary>
    public string NextId(string prefix) => $"{prefix}-{Interlocked.Increment(ref _next)}";

    /// <summary>Sends the line made for <paramref name="id"/> (see <see cref="NextId"/>) and waits for the answer with that id.</summary>
    public Task<JsonElement> RequestAsync(string id, Func<string, string> line) => RequestLineAsync(id, line(id));
}
