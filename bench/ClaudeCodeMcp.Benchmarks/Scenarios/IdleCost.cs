using ClaudeCodeMcp.Benchmarks.Support;

namespace ClaudeCodeMcp.Benchmarks.Scenarios;

/// <summary>6. Many running children that print nothing: the host must not poll, and each task must be light.</summary>
public static class IdleCost
{
    public static async Task RunAsync(BenchEnvironment env, Report report, int tasks, int seconds)
    {
        await using var host = await HostSession.StartAsync(env, env.NewStateDir(), "--throttle-limit", tasks.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--max-children", tasks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var pid = host.Pid;
        // Memory per task is the slope between half the tasks and all of them: what the first tasks cost once
        // (code loaded and compiled for the start path) is not a cost of each task.
        var half = Math.Max(1, tasks / 2);
        await StartAsync(host, env, half, seconds);
        await SettleAsync(pid);
        var atHalf = ProcStats.Memory(pid).Rss;
        await StartAsync(host, env, tasks - half, seconds);
        await SettleAsync(pid); // every child started, and the start work (tiered JIT included) done
        var cpuStart = ProcStats.CpuTime(pid);
        var memory = ProcStats.Memory(pid).Rss;
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var cpu = ProcStats.CpuTime(pid) - cpuStart;
        var perTask = (memory - atHalf) / (double)Math.Max(1, tasks - half);
        report.Add("6 idle", $"{tasks} silent children for {seconds} s: host CPU", $"{cpu.TotalSeconds:0.00} s", "", "< 0.1 s", cpu.TotalSeconds < 0.1);
        report.Add("6 idle", "host memory per running task", $"{perTask / 1024:0} KB",
            $"RSS with {half} tasks: {Report.Mb(atHalf)}, with {tasks}: {Report.Mb(memory)}", "≤ 150 KB", perTask <= 150 * 1024);
        // Disposing the client closes the host's stdin; the host stops its children.
    }

    /// <summary>A host's memory once <paramref name="tasks"/> tasks have run and finished, beside its memory right after initialize.</summary>
    public static async Task RunFinishedAsync(BenchEnvironment env, Report report, int tasks)
    {
        await using var host = await HostSession.StartAsync(env, env.NewStateDir());
        await SettleAsync(host.Pid);
        var idle = ProcStats.Memory(host.Pid).Rss;
        var ids = new List<string>();
        for (var i = 0; i < tasks; i++)
        {
            var started = await host.CallAsync("claude_code_execute_async", new Dictionary<string, object?> { ["prompt"] = "done", ["working_dir"] = env.WorkDir });
            ids.Add(started.StructuredContent!.Value.GetProperty("task_id").GetString()!);
        }
        await host.CallAsync("claude_code_wait", new Dictionary<string, object?> { ["task_ids"] = ids, ["timeout"] = 120 });
        await SettleAsync(host.Pid);
        var after = ProcStats.Memory(host.Pid).Rss;
        report.Add("6 idle", $"host memory after {tasks} finished tasks (RSS)", Report.Mb(after), $"right after initialize: {Report.Mb(idle)}",
            "≤ 20 MB", after <= 20 * 1024 * 1024);
    }

    private static async Task StartAsync(HostSession host, BenchEnvironment env, int count, int seconds)
    {
        for (var i = 0; i < count; i++)
        {
            await host.CallAsync("claude_code_execute_async", new Dictionary<string, object?> { ["prompt"] = $"sleep {seconds + 60}", ["working_dir"] = env.WorkDir });
        }
    }

    /// <summary>Waits until the host has used no CPU for a whole second (at most 15 s).</summary>
    private static async Task SettleAsync(int pid)
    {
        var last = ProcStats.CpuTime(pid);
        for (var waited = 0; waited < 15; waited++)
        {
            await Task.Delay(1000);
            var now = ProcStats.CpuTime(pid);
            if (now == last) return;
            last = now;
        }
    }
}
