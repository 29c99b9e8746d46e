using System.Diagnostics;
using ClaudeCodeMcp.Benchmarks.Support;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Store;

namespace ClaudeCodeMcp.Benchmarks.Scenarios;

/// <summary>7. Listing a store that holds many finished tasks.</summary>
public static class StoreListing
{
    public static async Task RunAsync(BenchEnvironment env, Report report, int tasks)
    {
        var stateDir = env.NewStateDir();
        Fill(stateDir, tasks, env.WorkDir);

        // Real stores hold tasks that ended long ago; a record copied into the digest must have settled first.
        Thread.Sleep(ListingDigest.Settled + TimeSpan.FromMilliseconds(200));

        var floorClock = Stopwatch.StartNew();
        var bytes = 0L;
        foreach (var dir in Directory.EnumerateDirectories(Path.Combine(stateDir, "tasks")))
            bytes += File.ReadAllBytes(Path.Combine(dir, "record.json")).Length;
        var floor = floorClock.Elapsed.TotalMilliseconds;
        var floorText = $"read every record.json raw: {Report.Ms(floor)}";

        // Each first listing in a process of its own (nothing compiled or cached yet): the store's very first, which
        // reads every record and leaves the digest, then the next process's, which finds it.
        var never = ListInFreshProcess(stateDir, tasks);
        var fresh = ListInFreshProcess(stateDir, tasks);
        report.Add("7 store", $"list {tasks} finished tasks, first call in a new process, store never listed", Report.Ms(never), floorText, "", null);
        report.Add("7 store", $"list {tasks} finished tasks, first call in a new process", Report.Ms(fresh), floorText, "≤ 100 ms", fresh <= 100);
        var (initialized, listed) = await FirstListInHostAsync(env, stateDir);
        report.Add("7 store", $"list_tasks on {tasks} finished tasks, first call in a new native host", Report.Ms(listed - initialized),
            $"host start to initialize reply: {Report.Ms(initialized)}", "≤ 100 ms", listed - initialized <= 100);

        var store = new TaskStore(stateDir);
        store.List();
        var warm = Stopwatch.StartNew();
        var count = store.List().Count;
        var warmMs = warm.Elapsed.TotalMilliseconds;
        if (count != tasks) throw new InvalidOperationException($"listed {count} of {tasks}");
        report.Add("7 store", $"list {tasks} finished tasks, again", Report.Ms(warmMs), floorText, "≤ 100 ms", warmMs <= 100);
    }

    /// <summary>
    /// The native host started on the store, asked list_tasks right after initialize: ms from its start to each answer
    /// (its own scan for orphans, at start, lists the store at the same time, as it does for every user).
    /// </summary>
    private static async Task<(double Initialized, double Listed)> FirstListInHostAsync(BenchEnvironment env, string stateDir)
    {
        var clock = Stopwatch.StartNew();
        using var process = HostSession.StartProcess(env, stateDir);
        try
        {
            var client = new LineClient(process.StandardInput.BaseStream, process.StandardOutput.BaseStream);
            await client.RequestAsync("initialize", new { protocolVersion = "2025-11-25", capabilities = new { }, clientInfo = new { name = "bench", version = "1" } });
            var initialized = clock.Elapsed.TotalMilliseconds;
            await client.RequestAsync("tools/call", new { name = "claude_code_list_tasks", arguments = new { limit = 50 } });
            return (initialized, clock.Elapsed.TotalMilliseconds);
        }
        finally
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(10_000)) process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>The bench itself started again (<c>list-store DIR N</c>): how long its one listing took, in ms.</summary>
    private static double ListInFreshProcess(string stateDir, int tasks)
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") psi.ArgumentList.Add(typeof(StoreListing).Assembly.Location);
        foreach (var arg in new[] { "list-store", stateDir, tasks.ToString(System.Globalization.CultureInfo.InvariantCulture) }) psi.ArgumentList.Add(arg);
        using var child = Process.Start(psi)!;
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"list-store exited {child.ExitCode}: {output}");
        return double.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>What <c>list-store DIR N</c> runs: one listing timed, its milliseconds printed.</summary>
    public static int ListOnce(string stateDir, int tasks)
    {
        var clock = Stopwatch.StartNew();
        var count = new TaskStore(stateDir).List().Count;
        var ms = clock.Elapsed.TotalMilliseconds;
        if (count != tasks) throw new InvalidOperationException($"listed {count} of {tasks}");
        Console.WriteLine(ms.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return 0;
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
