using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

/// <summary>
/// The owner's end: Claude Code SIGKILLs its stdio servers 0.5 s after the SIGINT that ends a run, so whatever the
/// engine has not written by then is never written. The records come first.
/// </summary>
public sealed class ShutdownTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Beginning_a_shutdown_writes_every_task_s_final_record_before_it_returns()
    {
        await using var sandbox = new Sandbox();
        var manager = new ClaudeTaskManager(sandbox.Options(throttle: 1));
        var pids = sandbox.File("pids");
        var running = manager.Start(sandbox.Spec($"fake:ignore-sigterm\nfake:spawn {pids} 1\nfake:sleep 60000"));
        var queued = manager.Start(sandbox.Spec("fake:sleep 60000"));
        await ProcessAssert.PidFileAsync(pids, 1);
        var tree = ProcessAssert.ReadPidFile(pids).Append(running.Child!.Pid).ToList();

        manager.BeginShutdown();

        // Read at once, raw, as another process would find them should this one be killed now.
        var store = new Store.TaskStore(sandbox.StateDir);
        foreach (var id in new[] { running.Id, queued.Id })
        {
            var record = store.Read(id)!;
            Assert.Equal(ClaudeTaskState.Cancelled, record.State);
            Assert.Equal("The task was stopped because the process that owned it shut down.", record.Error);
        }
        var refused = Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec("too late")));
        Assert.Equal(ClaudeErrorCode.ShuttingDown, refused.Code);
        Assert.Contains("shutting down", refused.Message);
        Assert.Contains("the task was not started", refused.Message);

        await manager.DisposeAsync().AsTask().WaitAsync(Hang);

        Assert.All(tree, pid => Assert.False(ProcessAssert.IsAlive(pid), $"{pid} outlived the shutdown"));
        var settled = new Store.TaskStore(sandbox.StateDir).Read(running.Id)!;
        Assert.Equal(ClaudeTaskState.Cancelled, settled.State);
        Assert.Null(settled.Child); // once the tree is gone, the record no longer names it
    }

    [Fact]
    public async Task A_child_of_an_owner_killed_during_its_shutdown_is_stopped_by_the_next_reader_and_the_record_keeps_its_verdict()
    {
        await using var sandbox = new Sandbox();
        System.Diagnostics.Process? orphan = null;
        // What an owner leaves when it is killed between its first write and the kill of its child (which carries its task's marker).
        var written = DeadOwnerRecord.Write(sandbox, ClaudeTaskState.Cancelled, id =>
        {
            orphan = MarkedProcess.Start(id, "sleep", "60");
            return Processes.ProcessIdentity.Of(orphan.Id);
        }, r => r with
        {
            Error = "The task was stopped because the process that owned it shut down.",
            EndedAt = DateTimeOffset.UtcNow,
        });
        var reader = sandbox.Manager(new ClaudeEngineOptions { StateDirectory = sandbox.StateDir });

        var seen = Assert.Single(reader.List());

        Assert.Equal(ClaudeTaskState.Cancelled, seen.State);
        Assert.Equal(written.Error, seen.Error);
        Assert.Null(seen.Child);
        await ProcessAssert.GoneAsync([orphan!.Id], TimeSpan.FromSeconds(5));
        orphan.Dispose();
        Assert.Null(new Store.TaskStore(sandbox.StateDir).Read(written.Id)!.Child);
    }

    [Fact]
    public async Task A_finished_task_whose_child_is_gone_is_left_as_it_is()
    {
        await using var sandbox = new Sandbox();
        var recycled = new Processes.ProcessIdentity(Environment.ProcessId, "not-my-start-time"); // a pid used again since
        var written = DeadOwnerRecord.Write(sandbox, ClaudeTaskState.Completed, recycled, r => r with { Result = "done" });

        var seen = sandbox.Manager().Get(written.Id)!;

        Assert.Equal(ClaudeTaskState.Completed, seen.State);
        Assert.Equal("done", seen.Result);
        Assert.True(ProcessAssert.IsAlive(Environment.ProcessId)); // we are still here
    }
}
