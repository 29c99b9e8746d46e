using System.Diagnostics;
using ClaudeCodeMcp.Benchmarks.Support;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Store;

namespace ClaudeCodeMcp.Benchmarks.Scenarios;

/// <summary>
/// 8. Claude Code's end of a -p run, as it treats its stdio servers: SIGINT, SIGTERM 0.1 s later, SIGKILL at 0.5 s.
/// The host runs two children, one that ends on SIGTERM and one that ignores it (so only a kill ends it). Measured
/// from the SIGINT: until every record on disk is final and every child, with its own child, is gone; and until the
/// host has exited. Each figure on an idle machine and on one loaded by <see cref="MachineLoad"/>.
/// </summary>
public static class ShutdownDeadline
{
    private static readonly TimeSpan SigtermAt = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan SigkillAt = TimeSpan.FromMilliseconds(500);
    private const double TargetP99Ms = 300;

    public static async Task RunAsync(BenchEnvironment env, Report report, int runs, int loadProcesses)
    {
        if (loadProcesses == 0)
        {
            // The machine as found: idle, or loaded by whatever runs beside the benchmark.
            await MeasureAsync(env, report, runs, "no load added");
            return;
        }
        await MeasureAsync(env, report, runs, "idle");
        using (MachineLoad.Start(loadProcesses))
            await MeasureAsync(env, report, runs, $"loaded ({loadProcesses} busy processes)");
    }

    private static async Task MeasureAsync(BenchEnvironment env, Report report, int runs, string machine)
    {
        var done = new List<double>();
        var exits = new List<double>();
        int killed = 0, unrecorded = 0, leftAlive = 0;
        for (var i = 0; i < runs; i++)
        {
            var run = await OnceAsync(env);
            done.Add(run.DoneMs);
            exits.Add(run.ExitMs);
            if (run.Sigkilled) killed++;
            if (!run.RecordedAsStopped) unrecorded++;
            if (run.ChildrenLeft) leftAlive++;
        }
        done.Sort();
        exits.Sort();
        var p99 = Report.Percentile(done, 99);
        var faults = $"{killed} of {runs} hosts needed the SIGKILL; {unrecorded} left a record not saying it was stopped; {leftAlive} left a child alive";
        report.Add("8 shutdown", $"SIGINT to records final and children gone, {machine}, {runs} runs",
            $"p50 {Report.Ms(Report.Percentile(done, 50))}, p99 {Report.Ms(p99)}", faults, "p99 < 300 ms loaded",
            !machine.StartsWith("loaded") ? null : p99 < TargetP99Ms && unrecorded == 0 && leftAlive == 0);
        report.Add("8 shutdown", $"SIGINT to host exited, {machine}",
            $"p50 {Report.Ms(Report.Percentile(exits, 50))}, p99 {Report.Ms(Report.Percentile(exits, 99))}",
            "Claude Code's SIGKILL: 500 ms", "< 500 ms", null);
    }

    private sealed record Outcome(double DoneMs, double ExitMs, bool Sigkilled, bool RecordedAsStopped, bool ChildrenLeft);

    private static async Task<Outcome> OnceAsync(BenchEnvironment env)
    {
        var stateDir = env.NewStateDir();
        var work = env.NewFolder("work");
        using var host = HostSession.StartProcess(env, stateDir);
        var client = new LineClient(host.StandardInput.BaseStream, host.StandardOutput.BaseStream);
        await client.RequestAsync("initialize", new { protocolVersion = "2025-11-25", capabilities = new { }, clientInfo = new { name = "bench", version = "1" } });
        var ids = new List<string>();
        foreach (var prompt in new[] { "sleep 60", "ignore-term sleep 60" })
        {
            var answer = await client.RequestAsync("tools/call", new { name = "claude_code_execute_async", arguments = new { prompt, working_dir = work } });
            ids.Add(answer.GetProperty("result").GetProperty("structuredContent").GetProperty("task_id").GetString()!);
        }
        var store = new TaskStore(stateDir);
        var tree = await RunningTreeAsync(store, ids);

        var clock = Stopwatch.StartNew();
        var sigkilled = false;
        var signals = new Thread(() =>
        {
            Signal(host, 2);
            SleepUntil(clock, SigtermAt);
            if (!host.HasExited) Signal(host, 15);
            SleepUntil(clock, SigkillAt);
            if (!host.HasExited) sigkilled = Signal(host, 9);
        }) { IsBackground = true, Priority = ThreadPriority.Highest };
        signals.Start();

        // One loop watches all three, from /proc and the disk, so each figure is read the same way.
        double? recordedAt = null, goneAt = null, exitedAt = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(5) && (recordedAt is null || goneAt is null || exitedAt is null))
        {
            if (recordedAt is null && ids.All(id => store.Read(id) is { IsFinished: true })) recordedAt = clock.Elapsed.TotalMilliseconds;
            if (goneAt is null && tree.All(pid => !Alive(pid))) goneAt = clock.Elapsed.TotalMilliseconds;
            if (exitedAt is null && !Alive(host.Id)) exitedAt = clock.Elapsed.TotalMilliseconds;
            Thread.Sleep(2);
        }
        await host.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var exitMs = exitedAt ?? 5000;
        signals.Join();
        var stopped = ids.All(id => store.Read(id) is { State: ClaudeTaskState.Cancelled, Error: { } e } && e.Contains("shut down", StringComparison.Ordinal));
        var left = tree.Where(Alive).ToList();
        foreach (var pid in left) Signal(pid, 9);
        return new Outcome(Math.Max(recordedAt ?? 5000, goneAt ?? 5000), exitMs, sigkilled, stopped, left.Count > 0);
    }

    /// <summary>Waits until both children run with their own sleep started (so the SIGTERM trap is set); returns every pid of their trees.</summary>
    private static async Task<List<int>> RunningTreeAsync(TaskStore store, List<string> ids)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var roots = ids.Select(id => store.Read(id)?.Child?.Pid).ToList();
            if (roots.All(p => p is not null))
            {
                var tree = roots.Select(p => p!.Value).ToList();
                var sleeps = ProcStats.ChildrenOf(tree);
                if (sleeps.Count >= roots.Count) return [.. tree, .. sleeps];
            }
            await Task.Delay(10);
        }
        throw new TimeoutException("the children did not start");
    }

    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool Signal(Process process, int signal) => Signal(process.Id, signal);

    private static bool Signal(int pid, int signal) => Posix.Kill(pid, signal) == 0;

    private static void SleepUntil(Stopwatch clock, TimeSpan at)
    {
        var left = at - clock.Elapsed;
        if (left > TimeSpan.Zero) Thread.Sleep(left);
    }
}
