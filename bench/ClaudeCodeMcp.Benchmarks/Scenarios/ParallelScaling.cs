using System.Diagnostics;
using ClaudeCodeMcp.Benchmarks.Support;
using ClaudeCodeMcp.Engine;

namespace ClaudeCodeMcp.Benchmarks.Scenarios;

/// <summary>2. Tasks that each sleep: all at once, and through a throttle that must never be exceeded.</summary>
public static class ParallelScaling
{
    public static async Task RunAsync(BenchEnvironment env, Report report, int tasks, double sleepSeconds, int throttle)
    {
        var (wide, wideMax) = await RunAsync(env, tasks, sleepSeconds, tasks);
        var wideTarget = sleepSeconds + 0.5;
        report.Add("2 parallel scaling", $"{tasks} × sleep {sleepSeconds} s, throttle {tasks}", $"{wide:0.00} s (max {wideMax} alive)",
            $"one task's sleep: {sleepSeconds} s", $"≤ {wideTarget} s", wide <= wideTarget);

        var (narrow, narrowMax) = await RunAsync(env, tasks, sleepSeconds, throttle);
        var rounds = Math.Ceiling((double)tasks / throttle);
        var narrowTarget = rounds * sleepSeconds + 1;
        report.Add("2 parallel scaling", $"{tasks} × sleep {sleepSeconds} s, throttle {throttle}", $"{narrow:0.00} s (max {narrowMax} alive)",
            $"{rounds} rounds × {sleepSeconds} s = {rounds * sleepSeconds} s", $"≤ {narrowTarget} s, ≤ {throttle} alive", narrow <= narrowTarget && narrowMax <= throttle);
    }

    private static async Task<(double Seconds, int MaxAlive)> RunAsync(BenchEnvironment env, int tasks, double sleepSeconds, int throttle)
    {
        var workDir = env.NewFolder("scaling");
        await using var manager = new ClaudeTaskManager(new ClaudeEngineOptions
        {
            StateDirectory = env.NewStateDir(),
            ClaudePath = env.FakeClaude,
            ThrottleLimit = throttle,
            MaxChildren = throttle,
        });
        using var sampling = new CancellationTokenSource();
        var maxAlive = 0;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                // The fake and its `sleep` both run in the folder: count the fakes (one per task).
                maxAlive = Math.Max(maxAlive, ProcStats.CountIn(workDir, "fake-claude.sh"));
                await Task.Delay(20);
            }
        });
        var clock = Stopwatch.StartNew();
        var prompt = $"sleep {sleepSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        var ids = Enumerable.Range(0, tasks).Select(_ => manager.Start(new ClaudeTaskSpec { Prompt = prompt, WorkingDirectory = workDir }).Id).ToList();
        var records = await manager.WaitAsync(ids);
        var seconds = clock.Elapsed.TotalSeconds;
        sampling.Cancel();
        await sampler;
        if (records.Any(r => r.State != ClaudeTaskState.Completed)) throw new InvalidOperationException("a scaling task failed");
        return (seconds, maxAlive);
    }
}
