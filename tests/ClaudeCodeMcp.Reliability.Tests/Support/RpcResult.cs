using System.Text.Json;
using ClaudeCodeMcp.Engine.Store;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Reliability.Tests.Support;

/// <summary>Reading tool results that came over the raw stdio channel (<c>StdioHost.CallToolAsync</c>).</summary>
public static class RpcResult
{
    public static bool IsError(this JsonElement result) =>
        result.TryGetProperty("isError", out var e) && e.ValueKind == JsonValueKind.True;

    public static string Text(this JsonElement result) =>
        result.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array
            ? string.Concat(content.EnumerateArray().Where(c => c.TryGetProperty("text", out _)).Select(c => c.GetProperty("text").GetString()))
            : "";

    public static JsonElement? StructuredOrNull(this JsonElement result) =>
        result.TryGetProperty("structuredContent", out var s) && s.ValueKind == JsonValueKind.Object ? s : null;

    public static JsonElement StructuredContent(this JsonElement result) =>
        result.StructuredOrNull() ?? throw new Xunit.Sdk.XunitException("no structured content: " + Text(result));

    public static string? Str(this JsonElement? element, string name) =>
        element is { } e && e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
}

/// <summary>Waits on the task store (a Reliability-only wait; the polling is <see cref="Eventually"/>'s).</summary>
public static class Until
{
    /// <summary>Waits until every task in the store has finished (the store is listed every 200 ms: it reads every record).</summary>
    public static Task<List<Engine.ClaudeTaskRecord>> AllFinishedAsync(string stateDir, int expected, TimeSpan within)
    {
        var store = new TaskStore(stateDir);
        return Eventually.ThatAsync(store.List, records => records.Count >= expected && records.All(r => r.IsFinished),
            $"{expected} finished tasks in {stateDir}", within,
            records => $"{records.Count(r => r.IsFinished)} of {records.Count} tasks finished", every: TimeSpan.FromMilliseconds(200));
    }
}

/// <summary>p50 / p99 / max of a set of durations in milliseconds.</summary>
public sealed record LatencyStats(int Count, double P50, double P99, double Max)
{
    public static LatencyStats Of(IReadOnlyCollection<double> samples)
    {
        var sorted = samples.OrderBy(x => x).ToArray();
        if (sorted.Length == 0) return new LatencyStats(0, 0, 0, 0);
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new LatencyStats(sorted.Length, At(0.50), At(0.99), sorted[^1]);
    }

    public override string ToString() => FormattableString.Invariant($"n={Count} p50={P50:0.00} ms p99={P99:0.00} ms max={Max:0.00} ms");
}
