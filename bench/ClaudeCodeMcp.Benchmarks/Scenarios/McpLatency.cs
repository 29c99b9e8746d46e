using System.Diagnostics;
using ClaudeCodeMcp.Benchmarks.Support;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Store;
using ModelContextProtocol.Client;

namespace ClaudeCodeMcp.Benchmarks.Scenarios;

/// <summary>3. Call latency over stdio MCP (standalone host, one client) with many tasks in the state folder.</summary>
public static class McpLatency
{
    public static async Task RunAsync(BenchEnvironment env, Report report, int storedTasks, int calls)
    {
        var stateDir = env.NewStateDir();
        var ids = StoreListing.Fill(stateDir, storedTasks, env.WorkDir);
        await using var host = await HostSession.StartAsync(env, stateDir);
        var client = host.Client;

        var ping = await TimeAsync(calls, () => client.PingAsync().AsTask());
        var check = await TimeAsync(calls, i => client.CallToolAsync("claude_code_check_result", new Dictionary<string, object?> { ["task_id"] = ids[i % ids.Count] }).AsTask());
        var list = await TimeAsync(calls, () => client.CallToolAsync("claude_code_list_tasks", new Dictionary<string, object?> { ["limit"] = 50 }).AsTask());
        var start = await TimeAsync(calls, () => client.CallToolAsync("claude_code_execute_async",
            new Dictionary<string, object?> { ["prompt"] = "go", ["working_dir"] = env.WorkDir }).AsTask());

        var pingRow = $"ping p50 {Report.Ms(ping.P50)}";
        report.Add("3 MCP latency", $"check_result ({storedTasks} tasks stored)", $"p50 {Report.Ms(check.P50)}, p99 {Report.Ms(check.P99)}", pingRow, "p50 ≤ 0.3 ms", check.P50 <= 0.3);
        report.Add("3 MCP latency", "list_tasks, limit 50", $"p50 {Report.Ms(list.P50)}, p99 {Report.Ms(list.P99)}", pingRow, "p50 ≤ 3 ms", list.P50 <= 3);
        report.Add("3 MCP latency", "execute_async until it returns", $"p50 {Report.Ms(start.P50)}, p99 {Report.Ms(start.P99)}", pingRow, "p50 ≤ 3 ms", start.P50 <= 3);
    }

    private static Task<(double P50, double P99)> TimeAsync(int calls, Func<Task> call) => TimeAsync(calls, _ => call());

    private static async Task<(double P50, double P99)> TimeAsync(int calls, Func<int, Task> call)
    {
        for (var i = 0; i < Math.Min(20, calls); i++) await call(i); // warm up
        var times = new List<double>(calls);
        for (var i = 0; i < calls; i++)
        {
            var clock = Stopwatch.StartNew();
            await call(i);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return (Report.Percentile(times, 50), Report.Percentile(times, 99));
    }
}
