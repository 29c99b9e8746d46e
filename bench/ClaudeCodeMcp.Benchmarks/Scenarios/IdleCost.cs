using ClaudeCodeMcp.Benchmarks.Support;

namespace ClaudeCodeMcp.Benchmarks.Scenarios;

/// <summary>6. Many running children that print nothing: the host must not poll, and each task must be light.</summary>
public static class IdleCost
{
    public static async Task RunAsync(BenchEnvironment env, Report report, int tasks, int seconds)
    {
        await using var host = await HostSession.StartAsync(env, env.NewStateDir(), "--throttle-limit", tasks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var pid = host.Pid;
        await Task.Delay(500);
        var before = ProcStats.Memory(pid).Rss;
        for (var i = 0; i < tasks; i++)
        {
            await host.CallAsync("claude_code_execute_async", new Dictionary<string, object?> { ["prompt"] = $"sleep {seconds + 30}", ["working_dir"] = env.WorkDir });
        }
        await Task.Delay(1000); // let every child start and settle
        var cpuStart = ProcStats.CpuTime(pid);
        var memory = ProcStats.Memory(pid).Rss;
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var cpu = ProcStats.CpuTime(pid) - cpuStart;
        var perTask = (memory - before) / (double)tasks;
        report.Add("6 idle", $"{tasks} silent children for {seconds} s: host CPU", $"{cpu.TotalSeconds:0.00} s", "", "< 0.1 s", cpu.TotalSeconds < 0.1);
        report.Add("6 idle", "host memory per running task", $"{perTask / 1024:0} KB", $"host RSS before: {Report.Mb(before)}", "≤ 200 KB", perTask <= 200 * 1024);
        // Disposing the client closes the host's stdin; the host stops its children.
    }
}
