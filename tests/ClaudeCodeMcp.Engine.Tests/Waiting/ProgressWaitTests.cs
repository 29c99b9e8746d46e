using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Engine.Waiting;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Engine.Tests.Waiting;

public sealed class ProgressWaitTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_wait_reports_changes_rate_limited_and_nothing_after_it_returns()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        // The child calls Bash and holds until the test has seen that reported (however slow a loaded machine is
        // to deliver it), then makes forty tool calls in quick succession: forty activity changes.
        var cue = Path.Combine(sandbox.WorkDir, "go");
        var burst = string.Join("\n", Enumerable.Range(0, 40).Select(i => $"fake:tool-start {(i % 2 == 0 ? "Read" : "Grep")}\nfake:sleep 25"));
        var task = manager.Start(sandbox.Spec($"fake:tool-start Bash\nfake:wait-for {cue}\n{burst}\nfake:text done"));
        var reports = new List<(DateTime At, ClaudeWaitSnapshot Snapshot)>();
        var progress = new ClaudeWaitProgress(s => { lock (reports) reports.Add((DateTime.UtcNow, s)); })
        {
            MinInterval = TimeSpan.FromMilliseconds(300),
            Heartbeat = TimeSpan.FromSeconds(30),
        };

        var began = DateTime.UtcNow;
        var waiting = manager.WaitAsync([task.Id], ClaudeWaitMode.All, null, progress);
        await Eventually.TrueAsync(() =>
        {
            lock (reports) return reports.Any(r => r.Snapshot.Describe().Contains("running Bash", StringComparison.Ordinal));
        }, "a report of the child running Bash");
        await File.WriteAllTextAsync(cue, "");
        var records = await waiting.WaitAsync(Hang);
        var waited = DateTime.UtcNow - began;
        int returnedWith;
        lock (reports) returnedWith = reports.Count;
        await Task.Delay(700); // a trailing report would come within one interval

        Assert.Equal(ClaudeTaskState.Completed, records[0].State);
        lock (reports)
        {
            Assert.Equal(returnedWith, reports.Count);
            Assert.Equal(Enumerable.Range(1, reports.Count), reports.Select(r => r.Snapshot.Step));
            // The first comes at once; then at most one per interval, however many changes there were.
            Assert.InRange(reports.Count, 1, 2 + (int)(waited / progress.MinInterval));
        }
    }

    [Fact]
    public async Task A_snapshot_says_what_each_unfinished_task_does_in_plain_words()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager(sandbox.Options(throttle: 1));
        var first = manager.Start(sandbox.Spec("fake:text quick"));
        await manager.WaitAsync([first.Id]).WaitAsync(Hang);
        var running = manager.Start(sandbox.Spec("fake:sleep 60000"));
        var queued = manager.Start(sandbox.Spec("fake:sleep 60000"));
        ClaudeWaitSnapshot? seen = null;

        var records = await manager.WaitAsync([first.Id, running.Id, queued.Id], ClaudeWaitMode.All, TimeSpan.Zero,
            new ClaudeWaitProgress(s => seen ??= s));

        Assert.NotNull(seen);
        Assert.Equal(3, records.Count);
        Assert.Equal(1, seen!.Finished);
        Assert.Equal(33, seen.PercentComplete);
        Assert.StartsWith("1 of 3 finished; ", seen.Describe());
        Assert.Contains($"{queued.Id}: queued", seen.Describe());
        Assert.DoesNotContain(first.Id, seen.Describe());
        await manager.StopAsync(running.Id);
        await manager.StopAsync(queued.Id);
    }
}
