using System.Diagnostics;
using ClaudeCodeMcp.Benchmarks.Support;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Store;

namespace ClaudeCodeMcp.Benchmarks.Scenarios;

/// <summary>7. Listing a store that holds many finished tasks.</summary>
public static class StoreListing
{
    public static void Run(BenchEnvironment env, Report report, int tasks)
    {
        var stateDir = env.NewStateDir();
        Fill(stateDir, tasks, env.WorkDir);

        var floorClock = Stopwatch.StartNew();
        var bytes = 0L;
        foreach (var dir in Directory.EnumerateDirectories(Path.Combine(stateDir, "tasks")))
            bytes += File.ReadAllBytes(Path.Combine(dir, "record.json")).Length;
        var floor = floorClock.Elapsed.TotalMilliseconds;

        // A fresh store has read nothing yet (a manager would have, at its start, looking for orphans).
        var store = new TaskStore(stateDir);
        var cold = Stopwatch.StartNew();
        var count = store.List().Count;
        var coldMs = cold.Elapsed.TotalMilliseconds;
        var warm = Stopwatch.StartNew();
        store.List();
        var warmMs = warm.Elapsed.TotalMilliseconds;
        if (count != tasks) throw new InvalidOperationException($"listed {count} of {tasks}");
        report.Add("7 store", $"list {tasks} finished tasks, first call", Report.Ms(coldMs), $"read every record.json raw: {Report.Ms(floor)}", "≤ 100 ms", coldMs <= 100);
        report.Add("7 store", $"list {tasks} finished tasks, again", Report.Ms(warmMs), $"read every record.json raw: {Report.Ms(floor)}", "≤ 100 ms", warmMs <= 100);
    }

    /// <summary>Writes <paramref name="count"/> finished task records straight into a store.</summary>
    internal static List<string> Fill(string stateDir, int count, string workDir)
    {
        var store = new TaskStore(stateDir);
        var ids = new List<string>(count);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var record = store.Create(id => new ClaudeTaskRecord
            {
                Id = id,
                State = ClaudeTaskState.Completed,
                PromptPreview = "",
                WorkingDirectory = workDir,
                CreatedAt = now.AddSeconds(-count + i),
                StartedAt = now.AddSeconds(-count + i),
                EndedAt = now.AddSeconds(-count + i + 1),
                Result = $"result {i}: " + new string('r', 200),
                SessionId = Guid.NewGuid().ToString(),
                Model = "claude-sonnet-4-5",
                CostUsd = 0.01,
                NumTurns = 3,
            }, $"prompt {i}: do something useful");
            ids.Add(record.Id);
        }
        return ids;
    }
}
