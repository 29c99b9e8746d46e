using System.Diagnostics;
using ClaudeCodeMcp.Benchmarks.Support;

namespace ClaudeCodeMcp.Benchmarks.Scenarios;

/// <summary>
/// 3. Call latency over stdio MCP (standalone host, one client) with many tasks in the state folder. Measured
/// twice: with the leanest line client (the server and the pipe; the targets apply here) and with the SDK's
/// client (what a .NET caller sees, its own parsing included).
/// </summary>
public static class McpLatency
{
    public static async Task RunAsync(BenchEnvironment env, Report report, int storedTasks, int calls, int churningTasks)
    {
        var lean = await MeasureLeanAsync(env, storedTasks, calls);
        var sdk = await MeasureSdkAsync(env, storedTasks, calls);
        Add(report, "line client", lean, storedTasks, targets: true);
        Add(report, "SDK client", sdk, storedTasks, targets: false);
        var (churn, endedIn) = await MeasureUnderChurnAsync(env, churningTasks);
        report.Add("3 MCP latency", $"check_result while {churningTasks} tasks queue and run, throttle 8, line client",
            $"p50 {Report.Ms(churn.P50)}, p99 {Report.Ms(churn.P99)}", $"all ended in {endedIn.TotalSeconds:0.0} s", "p99 ≤ 10 ms", churn.P99 <= 10);
    }

    /// <summary>
    /// check_result, timed after each start and then until every task has ended: the latency a polling client sees
    /// while the host starts, reads and records hundreds of short children.
    /// </summary>
    private static async Task<((double P50, double P99) Check, TimeSpan EndedIn)> MeasureUnderChurnAsync(BenchEnvironment env, int tasks)
    {
        var stateDir = env.NewStateDir();
        using var process = HostSession.StartProcess(env, stateDir, "--throttle-limit", "8");
        try
        {
            var client = new LineClient(process.StandardInput.BaseStream, process.StandardOutput.BaseStream);
            await client.RequestAsync("initialize", new { protocolVersion = "2025-11-25", capabilities = new { }, clientInfo = new { name = "bench", version = "1" } });
            var ids = new List<string>(tasks);
            var times = new List<double>();
            async Task CheckAsync(string id)
            {
                var clock = Stopwatch.StartNew();
                await client.RequestAsync("tools/call", new { name = "claude_code_check_result", arguments = new { task_id = id } });
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            var all = Stopwatch.StartNew();
            for (var i = 0; i < tasks; i++)
            {
                var started = await client.RequestAsync("tools/call", new { name = "claude_code_execute_async", arguments = new { prompt = "sleep 0.1", working_dir = env.WorkDir } });
                ids.Add(started.GetProperty("result").GetProperty("structuredContent").GetProperty("task_id").GetString()!);
                await CheckAsync(ids[Random.Shared.Next(ids.Count)]);
            }
            var store = new ClaudeCodeMcp.Engine.Store.TaskStore(stateDir);
            while (!store.List().All(r => r.IsFinished) && all.Elapsed < TimeSpan.FromMinutes(5))
            {
                await CheckAsync(ids[Random.Shared.Next(ids.Count)]);
                await Task.Delay(2);
            }
            var endedIn = all.Elapsed;
            times.Sort();
            return ((Report.Percentile(times, 50), Report.Percentile(times, 99)), endedIn);
        }
        finally
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(10_000)) process.Kill(entireProcessTree: true);
        }
    }

    private sealed record Figures((double P50, double P99) Ping, (double P50, double P99) Check, (double P50, double P99) List, (double P50, double P99) Start);

    private static void Add(Report report, string client, Figures f, int storedTasks, bool targets)
    {
        var pingRow = $"ping p50 {Report.Ms(f.Ping.P50)}";
        string Row((double P50, double P99) t) => $"p50 {Report.Ms(t.P50)}, p99 {Report.Ms(t.P99)}";
        report.Add("3 MCP latency", $"check_result ({storedTasks} tasks stored), {client}", Row(f.Check), pingRow,
            targets ? "p50 ≤ 0.2 ms" : "", targets ? f.Check.P50 <= 0.2 : null);
        report.Add("3 MCP latency", $"list_tasks, limit 50, {client}", Row(f.List), pingRow,
            targets ? "p50 ≤ 3 ms" : "", targets ? f.List.P50 <= 3 : null);
        report.Add("3 MCP latency", $"execute_async until it returns, {client}", Row(f.Start), pingRow,
            targets ? "p50 ≤ 2 ms" : "", targets ? f.Start.P50 <= 2 : null);
    }

    private static async Task<Figures> MeasureLeanAsync(BenchEnvironment env, int storedTasks, int calls)
    {
        var stateDir = env.NewStateDir();
        var ids = StoreListing.Fill(stateDir, storedTasks, env.WorkDir);
        using var process = HostSession.StartProcess(env, stateDir);
        try
        {
            var client = new LineClient(process.StandardInput.BaseStream, process.StandardOutput.BaseStream);
            await client.RequestAsync("initialize", new { protocolVersion = "2025-11-25", capabilities = new { }, clientInfo = new { name = "bench", version = "1" } });
            Task Call(string tool, object arguments) => client.RequestAsync("tools/call", new { name = tool, arguments });
            return new Figures(
                await TimeAsync(calls, _ => client.RequestAsync("ping", new { })),
                await TimeAsync(calls, i => Call("claude_code_check_result", new { task_id = ids[i % ids.Count] })),
                await TimeAsync(calls, _ => Call("claude_code_list_tasks", new { limit = 50 })),
                await TimeAsync(calls, _ => Call("claude_code_execute_async", new { prompt = "go", working_dir = env.WorkDir })));
        }
        finally
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(10_000)) process.Kill(entireProcessTree: true);
        }
    }

    private static async Task<Figures> MeasureSdkAsync(BenchEnvironment env, int storedTasks, int calls)
    {
        var stateDir = env.NewStateDir();
        var ids = StoreListing.Fill(stateDir, storedTasks, env.WorkDir);
        await using var host = await HostSession.StartAsync(env, stateDir);
        var client = host.Client;
        return new Figures(
            await TimeAsync(calls, _ => client.PingAsync().AsTask()),
            await TimeAsync(calls, i => client.CallToolAsync("claude_code_check_result", new Dictionary<string, object?> { ["task_id"] = ids[i % ids.Count] }).AsTask()),
            await TimeAsync(calls, _ => client.CallToolAsync("claude_code_list_tasks", new Dictionary<string, object?> { ["limit"] = 50 }).AsTask()),
            await TimeAsync(calls, _ => client.CallToolAsync("claude_code_execute_async",
                new Dictionary<string, object?> { ["prompt"] = "go", ["working_dir"] = env.WorkDir }).AsTask()));
    }

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
