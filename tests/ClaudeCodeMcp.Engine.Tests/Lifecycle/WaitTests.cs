using System.Diagnostics;
using ClaudeCodeMcp.Engine.Tests.Support;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

public sealed class WaitTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Wait_any_returns_when_the_first_task_finishes()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var slow = manager.Start(sandbox.Spec("fake:sleep 60000"));
        var quick = manager.Start(sandbox.Spec("fake:sleep 200\nfake:text quick"));

        var records = await manager.WaitAsync([slow.Id, quick.Id], ClaudeWaitMode.Any).WaitAsync(Hang);

        Assert.Equal(ClaudeTaskState.Running, records[0].State);
        Assert.Equal(ClaudeTaskState.Completed, records[1].State);
        await manager.StopAsync(slow.Id);
    }

    [Fact]
    public async Task Wait_all_returns_only_when_every_task_has_finished()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var ids = new[] { "fake:sleep 100", "fake:sleep 600", "fake:api-error 429 slow down" }
            .Select(p => manager.Start(sandbox.Spec(p)).Id).ToList();

        var records = await manager.WaitAsync(ids).WaitAsync(Hang);

        Assert.All(records, r => Assert.True(r.IsFinished));
        Assert.Equal(ClaudeTaskState.Failed, records[2].State);
    }

    [Fact]
    public async Task Wait_with_a_timeout_returns_the_tasks_still_running()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var slow = manager.Start(sandbox.Spec("fake:sleep 60000"));
        var clock = Stopwatch.StartNew();

        var records = await manager.WaitAsync([slow.Id], timeout: TimeSpan.FromMilliseconds(300)).WaitAsync(Hang);

        Assert.Equal(ClaudeTaskState.Running, records[0].State);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"returned after {clock.ElapsedMilliseconds} ms");
        await manager.StopAsync(slow.Id);
    }

    [Fact]
    public async Task Cancelled_wait_throws_and_leaves_the_task_running()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var slow = manager.Start(sandbox.Spec("fake:sleep 60000"));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => manager.WaitAsync([slow.Id], cancellationToken: cts.Token));

        Assert.Equal(ClaudeTaskState.Running, manager.Get(slow.Id)!.State);
        await manager.StopAsync(slow.Id);
    }
}
