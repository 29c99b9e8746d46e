using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

public sealed class ThrottleTests
{
    [Fact]
    public async Task No_more_than_the_limit_run_at_once_and_the_rest_start_first_in_first_out()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager(sandbox.Options(throttle: 2));
        var maxRunning = 0;
        manager.TaskChanged += _ =>
        {
            var now = manager.RunningCount;
            InterlockedMax(ref maxRunning, now);
        };
        // Count the children really alive, independently of the engine, while the tasks run.
        using var sampling = new CancellationTokenSource();
        var observedAlive = 0;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                InterlockedMax(ref observedAlive, ProcessAssert.RunningIn(sandbox.WorkDir).Count);
                await Task.Delay(10);
            }
        });
        var started = Enumerable.Range(0, 6).Select(i => manager.Start(sandbox.Spec($"fake:sleep 300\nfake:text task {i}"))).ToList();
        Assert.Equal(2, started.Count(r => r.State == ClaudeTaskState.Running));
        Assert.Equal(4, started.Count(r => r.State == ClaudeTaskState.Queued));

        var records = await manager.WaitAsync(started.Select(r => r.Id)).WaitAsync(TimeSpan.FromSeconds(60));

        sampling.Cancel();
        await sampler;
        Assert.All(records, r => Assert.Equal(ClaudeTaskState.Completed, r.State));
        Assert.InRange(observedAlive, 1, 2);
        Assert.True(maxRunning <= 2, $"{maxRunning} ran at once");
        // No instant had more than two children alive.
        foreach (var record in records)
        {
            var overlapping = records.Count(o => o.StartedAt <= record.StartedAt && o.EndedAt > record.StartedAt);
            Assert.True(overlapping <= 2, $"{overlapping} tasks overlapped when {record.Id} started");
        }
        var startOrder = records.OrderBy(r => r.StartedAt).Select(r => r.Result).ToList();
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"task {i}"), startOrder);
    }

    [Fact]
    public async Task Raising_the_limit_starts_queued_tasks_at_once()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager(sandbox.Options(throttle: 1));
        var tasks = Enumerable.Range(0, 3).Select(_ => manager.Start(sandbox.Spec("fake:sleep 60000"))).ToList();
        Assert.Equal(ClaudeTaskState.Queued, manager.Get(tasks[2].Id)!.State);

        manager.ThrottleLimit = 3;

        Assert.All(tasks, t => Assert.Equal(ClaudeTaskState.Running, manager.Get(t.Id)!.State));
        foreach (var task in tasks) await manager.StopAsync(task.Id);
    }

    [Fact]
    public async Task A_callers_own_throttle_limits_its_batch_without_touching_the_engines()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager(sandbox.Options(throttle: 1));
        var batch = new ClaudeTaskThrottle(3);

        var engineTasks = Enumerable.Range(0, 2).Select(_ => manager.Start(sandbox.Spec("fake:sleep 60000"))).ToList();
        var batchTasks = Enumerable.Range(0, 4).Select(_ => manager.Start(sandbox.Spec("fake:sleep 60000"), batch)).ToList();

        Assert.Equal([ClaudeTaskState.Running, ClaudeTaskState.Queued], engineTasks.Select(t => manager.Get(t.Id)!.State));
        Assert.Equal(3, batchTasks.Count(t => manager.Get(t.Id)!.State == ClaudeTaskState.Running));
        Assert.Equal(1, manager.ThrottleLimit);
        Assert.Equal(3, batch.Running);

        await manager.StopAsync(batchTasks[0].Id);
        // The slot is handed on just after the stopped task's record is final: the fourth takes it.
        await Eventually.TrueAsync(() => manager.Get(batchTasks[3].Id)!.State == ClaudeTaskState.Running, "the fourth to take the slot", TimeSpan.FromSeconds(30));
        Assert.Equal(3, batchTasks.Count(t => manager.Get(t.Id)!.State == ClaudeTaskState.Running));
        foreach (var task in engineTasks.Concat(batchTasks)) await manager.StopAsync(task.Id);
    }

    [Fact]
    public async Task Throttle_limit_below_one_is_refused()
    {
        await using var sandbox = new Sandbox();
        var error = Assert.Throws<ClaudeTaskException>(() => sandbox.Manager(sandbox.Options(throttle: 0)));
        Assert.Equal(ClaudeErrorCode.InvalidArgument, error.Code);
        Assert.Contains("at least 1", error.Message);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
