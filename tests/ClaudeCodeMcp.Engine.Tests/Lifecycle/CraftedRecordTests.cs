using ClaudeCodeMcp.Engine.Processes;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Engine.Tests.Unit;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

/// <summary>
/// A record on disk is only a file: whoever can write to the store (a child session allowed to edit files, should the
/// store lie under its working folder) can name any process in it, with the pid and start time /proc shows everyone.
/// What gets signalled is decided by the process itself (the task's marker in its environment), never by the record.
/// </summary>
public sealed class CraftedRecordTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [LinuxFact]
    public async Task Recovery_leaves_an_unrelated_process_tree_named_by_a_crafted_record_running()
    {
        await using var sandbox = new Sandbox();
        await using var unrelated = await UnrelatedProcessTree.StartAsync(sandbox.Home);
        var crafted = DeadOwnerRecord.Write(sandbox, ClaudeTaskState.Running, unrelated.Identity);

        _ = sandbox.Manager(); // its search for orphans runs by itself, as at a server's start
        var store = new Store.TaskStore(sandbox.StateDir);
        var record = await Eventually.ThatAsync(() => store.Read(crafted.Id)!, r => r.IsFinished, "the recovered record", TimeSpan.FromSeconds(10));

        unrelated.AssertAllAlive();
        Assert.Equal(ClaudeTaskState.Failed, record.State);
        Assert.Contains($"its recorded child process (pid {unrelated.Identity.Pid}) is not this task's, so it was left alone", record.Error);
        Assert.DoesNotContain("orphaned claude process was stopped", record.Error);
        Assert.Null(record.Child);
    }

    [LinuxFact]
    public async Task A_finished_crafted_record_keeps_its_verdict_and_the_unrelated_tree_it_names_runs_on()
    {
        await using var sandbox = new Sandbox();
        await using var unrelated = await UnrelatedProcessTree.StartAsync(sandbox.Home);
        var crafted = DeadOwnerRecord.Write(sandbox, ClaudeTaskState.Completed, unrelated.Identity, r => r with { Result = "done" });

        var seen = sandbox.Manager().Get(crafted.Id)!;

        unrelated.AssertAllAlive();
        Assert.Equal(ClaudeTaskState.Completed, seen.State);
        Assert.Equal("done", seen.Result);
        Assert.Null(seen.Child);
    }

    [LinuxFact]
    public async Task Stopping_a_crafted_task_of_a_dead_owner_leaves_the_unrelated_tree_it_names_running()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager(); // made first: its own search for orphans finds nothing
        await using var unrelated = await UnrelatedProcessTree.StartAsync(sandbox.Home);
        var crafted = DeadOwnerRecord.Write(sandbox, ClaudeTaskState.Running, unrelated.Identity);

        var stopped = await manager.StopAsync(crafted.Id).WaitAsync(Hang);

        unrelated.AssertAllAlive();
        Assert.Equal(ClaudeTaskState.Cancelled, stopped.State);
        Assert.Contains("had already ended", stopped.Error);
        Assert.Contains($"its recorded child process (pid {unrelated.Identity.Pid}) is not this task's, so it was left alone", stopped.Error);
    }

    [LinuxFact]
    public async Task Stopping_a_crafted_task_of_a_silent_live_owner_leaves_the_unrelated_tree_it_names_running()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        await using var unrelated = await UnrelatedProcessTree.StartAsync(sandbox.Home);
        await using var owner = await UnrelatedProcessTree.StartAsync(sandbox.Home); // alive, and never answers a stop request
        var crafted = DeadOwnerRecord.Write(sandbox, ClaudeTaskState.Running, unrelated.Identity, r => r with { Owner = owner.Identity });

        var stopped = await manager.StopAsync(crafted.Id).WaitAsync(Hang);

        unrelated.AssertAllAlive();
        owner.AssertAllAlive();
        Assert.Equal(ClaudeTaskState.Cancelled, stopped.State);
        Assert.Contains("its owner did not respond", stopped.Error);
        Assert.Contains($"its recorded child process (pid {unrelated.Identity.Pid}) is not this task's, so it was left alone", stopped.Error);
    }

    [LinuxFact]
    public async Task A_task_s_own_orphaned_tree_is_still_stopped_even_a_tool_process_that_cleared_its_environment()
    {
        await using var sandbox = new Sandbox();
        System.Diagnostics.Process? bash = null;
        var record = DeadOwnerRecord.Write(sandbox, ClaudeTaskState.Running, id =>
        {
            bash = MarkedProcess.Start(id, "bash", "-c", "env -i sleep 600 & sleep 600; wait");
            return ProcessIdentity.Of(bash.Id);
        });
        using var _ = bash;
        var tree = new List<int> { bash!.Id };
        try
        {
            // One sleep carries the marker it inherited; the other (after env -i) carries no environment at all.
            var sleeps = await Eventually.ThatAsync(() => ProcessTable.Descendants(bash.Id), d => d.Count >= 2 && d.Any(s => !HasMarker(s.Pid)),
                "the task's two sleeps, one with no environment", TimeSpan.FromSeconds(10));
            tree.AddRange(sleeps.Select(s => s.Pid));

            var recovered = sandbox.Manager().Get(record.Id)!;

            Assert.Equal(ClaudeTaskState.Failed, recovered.State);
            Assert.Contains("orphaned claude process was stopped", recovered.Error);
            await ProcessAssert.AssertGoneAsync(tree, TimeSpan.FromSeconds(5));
        }
        finally
        {
            await ProcessAssert.GoneAsync(tree);
        }
    }

    private static bool HasMarker(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Contains(TaskNesting.TaskIdVariable + "=", StringComparison.Ordinal);
}
