using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

public sealed class StopAndTimeoutTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Stopped_task_is_cancelled_and_leaves_no_process_behind()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var pids = sandbox.File("pids");
        var started = manager.Start(sandbox.Spec($"fake:spawn {pids} 2\nfake:tool-start Bash\nfake:sleep 60000"));
        await ProcessAssert.PidFileAsync(pids, 2);
        var tree = ProcessAssert.ReadPidFile(pids).Append(started.Child!.Pid).ToList();
        Assert.All(tree, pid => Assert.True(ProcessAssert.IsAlive(pid)));

        var record = await manager.StopAsync(started.Id).WaitAsync(Hang);

        Assert.Equal(ClaudeTaskState.Cancelled, record.State);
        Assert.Contains("stopped", record.Error);
        await ProcessAssert.GoneAsync(tree, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Child_that_ignores_sigterm_is_killed_after_the_grace_period()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var pids = sandbox.File("pids");
        var started = manager.Start(sandbox.Spec($"fake:ignore-sigterm\nfake:spawn {pids} 1\nfake:sleep 60000"));
        await ProcessAssert.PidFileAsync(pids, 1);
        var tree = ProcessAssert.ReadPidFile(pids).Append(started.Child!.Pid).ToList();

        var record = await manager.StopAsync(started.Id).WaitAsync(Hang);

        Assert.Equal(ClaudeTaskState.Cancelled, record.State);
        await ProcessAssert.GoneAsync(tree, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Task_past_its_timeout_is_timed_out_and_its_tree_is_gone()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var pids = sandbox.File("pids");
        var started = manager.Start(sandbox.Spec($"fake:spawn {pids} 1\nfake:sleep 60000") with { Timeout = TimeSpan.FromSeconds(1.5) });

        var record = (await manager.WaitAsync([started.Id]).WaitAsync(Hang))[0];

        Assert.Equal(ClaudeTaskState.TimedOut, record.State);
        Assert.Contains("timeout of 1.5 s", record.Error);
        await ProcessAssert.GoneAsync(ProcessAssert.ReadPidFile(pids).Append(started.Child!.Pid), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Child_that_lingers_after_its_result_keeps_the_result_and_is_stopped()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var started = manager.Start(sandbox.Spec("fake:ignore-sigterm\nfake:stay\nfake:result finished the work"));

        var record = (await manager.WaitAsync([started.Id]).WaitAsync(Hang))[0];

        Assert.Equal(ClaudeTaskState.Completed, record.State);
        Assert.Equal("finished the work", record.Result);
        await ProcessAssert.GoneAsync([started.Child!.Pid], TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Queued_task_stopped_before_it_starts_is_cancelled_and_never_runs()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager(sandbox.Options(throttle: 1));
        var blocker = manager.Start(sandbox.Spec("fake:sleep 60000"));
        var report = sandbox.File("never.json");
        var queued = manager.Start(sandbox.Spec($"fake:report {report}"));
        Assert.Equal(ClaudeTaskState.Queued, queued.State);

        var record = await manager.StopAsync(queued.Id).WaitAsync(Hang);
        await manager.StopAsync(blocker.Id).WaitAsync(Hang);

        Assert.Equal(ClaudeTaskState.Cancelled, record.State);
        Assert.Null(record.StartedAt);
        Assert.False(File.Exists(report));
    }

    [Fact]
    public async Task Stopping_a_finished_task_changes_nothing()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var done = await CompletionTests.RunAsync(manager, sandbox.Spec("quick"));
        var again = await manager.StopAsync(done.Id).WaitAsync(Hang);
        Assert.Equal(ClaudeTaskState.Completed, again.State);
        Assert.Equal("quick", again.Result);
    }

    [Fact]
    public async Task Disposing_the_engine_stops_every_child_it_owns()
    {
        await using var sandbox = new Sandbox();
        var manager = new ClaudeTaskManager(sandbox.Options(throttle: 2));
        var pids = sandbox.File("pids");
        var running = Enumerable.Range(0, 2).Select(_ => manager.Start(sandbox.Spec($"fake:spawn {pids} 1\nfake:sleep 60000"))).ToList();
        var queued = manager.Start(sandbox.Spec("fake:sleep 60000"));
        await ProcessAssert.PidFileAsync(pids, 2);

        await manager.DisposeAsync().AsTask().WaitAsync(Hang);

        var store = new Store.TaskStore(sandbox.StateDir);
        foreach (var task in running.Append(queued))
        {
            var record = store.Read(task.Id)!;
            Assert.Equal(ClaudeTaskState.Cancelled, record.State);
            Assert.Contains("shut down", record.Error);
        }
        await ProcessAssert.GoneAsync(ProcessAssert.ReadPidFile(pids).Concat(running.Select(r => r.Child!.Pid)), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Child_that_lingers_after_an_error_result_is_stopped_and_failed()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var started = manager.Start(sandbox.Spec("fake:stay\nfake:api-error 529 overloaded"));

        var record = (await manager.WaitAsync([started.Id]).WaitAsync(Hang))[0];

        Assert.Equal(ClaudeTaskState.Failed, record.State);
        Assert.Contains("HTTP 529", record.Error);
        await ProcessAssert.GoneAsync([started.Child!.Pid], TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Grandchild_holding_stdout_open_does_not_keep_the_task_running()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var pids = sandbox.File("pids");
        var started = manager.Start(sandbox.Spec($"fake:spawn {pids} 1 inherit\nfake:text done while a grandchild lives on"));

        var record = (await manager.WaitAsync([started.Id]).WaitAsync(Hang))[0];

        Assert.Equal(ClaudeTaskState.Completed, record.State);
        Assert.Equal("done while a grandchild lives on", record.Result);
        foreach (var pid in ProcessAssert.ReadPidFile(pids)) ProcessAssert.Kill(pid); // it left on its own: not the engine's to kill
    }

    [Fact]
    public async Task A_throwing_change_handler_breaks_nothing()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        manager.TaskChanged += _ => throw new InvalidOperationException("bad handler");

        var record = await CompletionTests.RunAsync(manager, sandbox.Spec("fake:huge 200000\nfake:tool Read {}\nfake:text still fine"));

        Assert.Equal(ClaudeTaskState.Completed, record.State);
        Assert.Equal("still fine", record.Result);
    }
}
