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

/// <summary>Small waiting and measuring helpers.</summary>
public static class Until
{
    public static async Task<T> TrueAsync<T>(Func<T?> probe, TimeSpan within, string what) where T : class
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"gave up waiting for {what} after {within.TotalSeconds} s");
            await Task.Delay(25);
        }
    }

    public static async Task TrueAsync(Func<bool> probe, TimeSpan within, string what) =>
        await TrueAsync(() => probe() ? "yes" : null, within, what);

    /// <summary>Waits until every task in the store has finished.</summary>
    public static async Task<List<Engine.ClaudeTaskRecord>> AllFinishedAsync(string stateDir, int expected, TimeSpan within)
    {
        var store = new TaskStore(stateDir);
        List<Engine.ClaudeTaskRecord>? last = null;
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            last = store.List();
            if (last.Count >= expected && last.All(r => r.IsFinished)) return last;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{last.Count(r => r.IsFinished)} of {last.Count} tasks (expected {expected}) finished within {within.TotalSeconds} s");
            await Task.Delay(200);
        }
    }

    public static async Task LinesAsync(string file, int count, TimeSpan? within = null)
    {
        await TrueAsync(() => ProcessAssert.ReadPidFile(file).Count >= count, within ?? TimeSpan.FromSeconds(30), $"{count} lines in {file}");
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
