using System.Diagnostics;
using ClaudeCodeMcp.Benchmarks.Support;
using ClaudeCodeMcp.Engine;

namespace ClaudeCodeMcp.Benchmarks.Scenarios;

/// <summary>1. N tasks of a fake that exits at once, through the engine, against a bare Process.Start loop.</summary>
public static class SpawnOverhead
{
    public static async Task RunAsync(BenchEnvironment env, Report report, IReadOnlyList<int> counts)
    {
        foreach (var n in counts)
        {
            await BareAsync(env, Math.Min(n, 5)); // warm both paths once
            await EngineAsync(env, Math.Min(n, 5));
            var floor = await BareAsync(env, n);
            var engine = await EngineAsync(env, n);
            var ratio = engine / floor;
            report.Add("1 spawn overhead", $"N = {n}, throttle {n}", $"{Report.Ms(engine)} ({ratio:0.00}× floor)", $"Process.Start loop {Report.Ms(floor)}",
                n >= 100 ? "≤ 1.2× floor" : "", n >= 100 ? ratio <= 1.2 : null);
            if (n >= 100 && env.NewMemoryStateDir() is { } memory)
            {
                // The same run with the state folder on tmpfs: what is left is the engine's own cost, not the disk's.
                var inMemory = await EngineAsync(env, n, memory);
                report.Add("1 spawn overhead", $"N = {n}, state folder on tmpfs (diagnostic)", $"{Report.Ms(inMemory)} ({inMemory / floor:0.00}× floor)",
                    $"Process.Start loop {Report.Ms(floor)}", "", null);
            }
        }
    }

    internal static async Task<double> EngineAsync(BenchEnvironment env, int n, string? stateDir = null)
    {
        await using var manager = new ClaudeTaskManager(new ClaudeEngineOptions
        {
            StateDirectory = stateDir ?? env.NewStateDir(),
            ClaudePath = env.FakeClaude,
            ThrottleLimit = n,
            MaxChildren = n,
        });
        var clock = Stopwatch.StartNew();
        var ids = new List<string>(n);
        for (var i = 0; i < n; i++) ids.Add(manager.Start(new ClaudeTaskSpec { Prompt = "go", WorkingDirectory = env.WorkDir }).Id);
        var records = await manager.WaitAsync(ids);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (records.Any(r => r.State != ClaudeTaskState.Completed)) throw new InvalidOperationException("a benchmark task failed: " + records.First(r => r.State != ClaudeTaskState.Completed).Error);
        return elapsed;
    }

    /// <summary>The floor: the same processes, same arguments and stdin, output drained, no engine.</summary>
    internal static async Task<double> BareAsync(BenchEnvironment env, int n)
    {
        var clock = Stopwatch.StartNew();
        var runs = new List<Task>(n);
        for (var i = 0; i < n; i++)
        {
            var psi = new ProcessStartInfo(env.FakeClaude)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = env.WorkDir,
            };
            foreach (var arg in new[] { "-p", "--output-format", "stream-json", "--verbose" }) psi.ArgumentList.Add(arg);
            var process = Process.Start(psi)!;
            runs.Add(Task.Run(async () =>
            {
                await process.StandardInput.WriteAsync("go");
                process.StandardInput.Close();
                var drain = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                var drainErr = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
                await process.WaitForExitAsync();
                await Task.WhenAll(drain, drainErr);
                process.Dispose();
            }));
        }
        await Task.WhenAll(runs);
        return clock.Elapsed.TotalMilliseconds;
    }
}
