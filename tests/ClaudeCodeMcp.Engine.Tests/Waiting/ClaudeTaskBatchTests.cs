using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Engine.Waiting;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Engine.Tests.Waiting;

public sealed class ClaudeTaskBatchTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_batch_runs_at_most_its_limit_at_once_and_gives_each_end_once()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager(sandbox.Options(throttle: 8));
        using var batch = new ClaudeTaskBatch(manager, throttleLimit: 2);

        var started = Enumerable.Range(0, 5).Select(i => batch.Start(sandbox.Spec($"fake:sleep 200\nfake:text task {i}"))).ToList();
        Assert.Equal(2, started.Count(r => r.State == ClaudeTaskState.Running));

        var ends = new List<ClaudeTaskRecord>();
        var deadline = DateTime.UtcNow + Hang;
        while (batch.Unfinished > 0 && DateTime.UtcNow < deadline)
        {
            if (batch.TryTake(out var change, TimeSpan.FromSeconds(1)) && change.IsFinished) ends.Add(change);
        }

        Assert.Equal(5, batch.Started);
        Assert.Equal(5, batch.Ended);
        Assert.Equal(started.Select(r => r.Id).Order(), ends.Select(r => r.Id).Order());
        Assert.All(ends, r => Assert.Equal(ClaudeTaskState.Completed, r.State));
        foreach (var end in ends)
        {
            var overlapping = ends.Count(o => o.StartedAt <= end.StartedAt && o.EndedAt > end.StartedAt);
            Assert.True(overlapping <= 2, $"{overlapping} of the batch's tasks ran at once when {end.Id} started");
        }
        Assert.False(batch.TryTake(out _, TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task Disposing_a_batch_stops_the_tasks_it_started_that_still_run_and_no_others()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var outsider = manager.Start(sandbox.Spec("fake:sleep 60000"));
        ClaudeTaskRecord done, running, queued;
        using (var batch = new ClaudeTaskBatch(manager, throttleLimit: 2))
        {
            done = batch.Start(sandbox.Spec("fake:text quick"));
            running = batch.Start(sandbox.Spec("fake:sleep 60000"));
            queued = batch.Start(sandbox.Spec("fake:sleep 60000"));
            await manager.WaitAsync([done.Id]).WaitAsync(Hang);
            await Eventually.TrueAsync(() => manager.Get(running.Id)!.Child is not null, "the second task's child");
        }

        Assert.Equal(ClaudeTaskState.Completed, manager.Get(done.Id)!.State);
        Assert.Equal(ClaudeTaskState.Cancelled, manager.Get(running.Id)!.State);
        Assert.Equal(ClaudeTaskState.Cancelled, manager.Get(queued.Id)!.State);
        Assert.Equal(ClaudeTaskState.Running, manager.Get(outsider.Id)!.State);
        await manager.StopAsync(outsider.Id);
    }
}
