using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

/// <summary>Tasks live in a store shared by every process of the user.</summary>
public sealed class CrossProcessTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Task_of_another_process_is_seen_and_can_be_stopped_with_its_tree()
    {
        await using var sandbox = new Sandbox();
        var host = sandbox.StartHost();
        Assert.Equal("ready", await host.ReadLineAsync());
        var pids = sandbox.File("pids");
        var prompt = sandbox.File("prompt.txt");
        File.WriteAllText(prompt, $"fake:spawn {pids} 1\nfake:tool-start Bash\nfake:sleep 60000");
        var (id, childPid) = await host.StartTaskAsync(prompt);
        await ProcessAssert.PidFileAsync(pids, 1);
        var tree = ProcessAssert.ReadPidFile(pids).Append(childPid).ToList();

        var manager = sandbox.Manager();
        var seen = manager.Get(id)!;
        Assert.Equal(ClaudeTaskState.Running, seen.State);
        Assert.Equal(childPid, seen.Child!.Pid);
        Assert.Contains(manager.List(), r => r.Id == id);

        var stopped = await manager.StopAsync(id).WaitAsync(Hang);

        Assert.Equal(ClaudeTaskState.Cancelled, stopped.State);
        Assert.Contains("another process", stopped.Error);
        await ProcessAssert.GoneAsync(tree, TimeSpan.FromSeconds(5));
        Assert.Equal($"finished {id} cancelled", await host.SendAsync($"wait {id}"));
    }

    [Fact]
    public async Task Another_process_sees_a_running_task_s_session_and_activity_within_seconds()
    {
        await using var sandbox = new Sandbox();
        var owner = sandbox.Manager();
        var task = owner.Start(sandbox.Spec("fake:tool-start Bash\nfake:sleep 60000"));
        var other = sandbox.Manager(); // another engine on the same store: it reads the record on disk

        var seen = await Eventually.ThatAsync(() => other.Get(task.Id)!, r => r is { SessionId: not null, Activity.CurrentTool: "Bash" },
            "the session and activity on disk", TimeSpan.FromSeconds(10));

        Assert.Equal(ClaudeTaskState.Running, seen.State);
        Assert.NotNull(seen.SessionId);
        Assert.Equal("Bash", seen.Activity?.CurrentTool);
        Assert.Equal(owner.Get(task.Id)!.SessionId, seen.SessionId);
        await owner.StopAsync(task.Id).WaitAsync(Hang);
    }

    [Fact]
    public async Task Waiting_on_another_process_task_wakes_when_it_finishes()
    {
        await using var sandbox = new Sandbox();
        var host = sandbox.StartHost();
        Assert.Equal("ready", await host.ReadLineAsync());
        var prompt = sandbox.File("prompt.txt");
        File.WriteAllText(prompt, "fake:sleep 700\nfake:text done elsewhere");
        var (id, _) = await host.StartTaskAsync(prompt);
        var manager = sandbox.Manager();

        var record = (await manager.WaitAsync([id]).WaitAsync(Hang))[0];

        Assert.Equal(ClaudeTaskState.Completed, record.State);
        Assert.Equal("done elsewhere", record.Result);
    }

    [Fact]
    public async Task Task_started_here_can_be_stopped_by_another_process()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var task = manager.Start(sandbox.Spec("fake:sleep 60000"));
        var host = sandbox.StartHost();
        Assert.Equal("ready", await host.ReadLineAsync());

        Assert.Equal($"stopped {task.Id} cancelled", await host.SendAsync($"stop {task.Id}"));

        var record = manager.Get(task.Id)!;
        Assert.Equal(ClaudeTaskState.Cancelled, record.State);
        await ProcessAssert.GoneAsync([task.Child!.Pid], TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Tasks_of_an_owner_killed_with_sigkill_are_recovered_and_their_orphans_killed()
    {
        await using var sandbox = new Sandbox();
        var host = sandbox.StartHost();
        Assert.Equal("ready", await host.ReadLineAsync());
        var pids = sandbox.File("pids");
        var slow = sandbox.File("slow.txt");
        var quick = sandbox.File("quick.txt");
        File.WriteAllText(slow, $"fake:spawn {pids} 1\nfake:sleep 60000");
        File.WriteAllText(quick, "fake:text finished before the crash");
        var running = new List<(string Id, int Pid)> { await host.StartTaskAsync(slow), await host.StartTaskAsync(slow) };
        var (doneId, _) = await host.StartTaskAsync(quick);
        Assert.Equal($"finished {doneId} completed", await host.SendAsync($"wait {doneId}"));
        await ProcessAssert.PidFileAsync(pids, 2);
        var orphans = ProcessAssert.ReadPidFile(pids).Concat(running.Select(r => r.Pid)).ToList();

        await host.KillAsync(watchdogToo: true); // SIGKILL, the watchdog too: only the next reader can stop the children
        Assert.All(orphans, pid => Assert.True(ProcessAssert.IsAlive(pid), $"{pid} should outlive its owner"));

        var manager = sandbox.Manager();

        foreach (var (id, _) in running)
        {
            var record = manager.Get(id)!;
            Assert.Equal(ClaudeTaskState.Failed, record.State);
            Assert.Contains("ended while it was running", record.Error);
            Assert.Contains("orphaned claude process was stopped", record.Error);
        }
        var done = manager.Get(doneId)!;
        Assert.Equal(ClaudeTaskState.Completed, done.State);
        Assert.Equal("finished before the crash", done.Result);
        await ProcessAssert.GoneAsync(orphans, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_new_engine_recovers_a_dead_owner_s_tasks_by_itself_after_its_start()
    {
        await using var sandbox = new Sandbox();
        var host = sandbox.StartHost();
        Assert.Equal("ready", await host.ReadLineAsync());
        var pids = sandbox.File("pids");
        var slow = sandbox.File("slow.txt");
        File.WriteAllText(slow, $"fake:spawn {pids} 1\nfake:sleep 60000");
        var (id, childPid) = await host.StartTaskAsync(slow);
        await ProcessAssert.PidFileAsync(pids, 1);
        var orphans = ProcessAssert.ReadPidFile(pids).Append(childPid).ToList();
        await host.KillAsync(watchdogToo: true);

        _ = sandbox.Manager(); // nothing is asked of it: the search for orphans runs by itself, off the start path

        await ProcessAssert.GoneAsync(orphans, TimeSpan.FromSeconds(10));
        var store = new Store.TaskStore(sandbox.StateDir); // reads the disk, recovers nothing itself
        var record = await Eventually.ThatAsync(() => store.Read(id)!, r => r.IsFinished, "the recovered record", TimeSpan.FromSeconds(10));
        Assert.Equal(ClaudeTaskState.Failed, record.State);
        Assert.Contains("orphaned claude process was stopped", record.Error);
    }

    [Fact]
    public async Task Stopping_a_task_whose_owner_died_records_it_cancelled_and_kills_the_orphan()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager(); // made before the owner dies: nothing is recovered at its start
        var host = sandbox.StartHost();
        Assert.Equal("ready", await host.ReadLineAsync());
        var pids = sandbox.File("pids");
        var slow = sandbox.File("slow.txt");
        File.WriteAllText(slow, $"fake:spawn {pids} 1\nfake:sleep 60000");
        var (id, childPid) = await host.StartTaskAsync(slow);
        await ProcessAssert.PidFileAsync(pids, 1);
        var orphans = ProcessAssert.ReadPidFile(pids).Append(childPid).ToList();
        await host.KillAsync(watchdogToo: true);

        var stopped = await manager.StopAsync(id).WaitAsync(Hang);

        Assert.Equal(ClaudeTaskState.Cancelled, stopped.State);
        Assert.Contains("was stopped", stopped.Error);
        Assert.Contains("had already ended", stopped.Error);
        await ProcessAssert.GoneAsync(orphans, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Owner_ended_by_sigterm_stops_its_children_and_records_why()
    {
        await using var sandbox = new Sandbox();
        var host = sandbox.StartHost();
        Assert.Equal("ready", await host.ReadLineAsync());
        var pids = sandbox.File("pids");
        var prompt = sandbox.File("prompt.txt");
        File.WriteAllText(prompt, $"fake:ignore-sigterm\nfake:spawn {pids} 1\nfake:sleep 60000");
        var (id, childPid) = await host.StartTaskAsync(prompt);
        await ProcessAssert.PidFileAsync(pids, 1);
        var tree = ProcessAssert.ReadPidFile(pids).Append(childPid).ToList();

        Assert.True(Processes.PosixSignals.Send(host.Process.Id, Processes.PosixSignals.Terminate));
        await host.Process.WaitForExitAsync().WaitAsync(Hang);

        await ProcessAssert.GoneAsync(tree, TimeSpan.FromSeconds(5));
        var record = new Store.TaskStore(sandbox.StateDir).Read(id)!;
        Assert.Equal(ClaudeTaskState.Cancelled, record.State);
        Assert.Contains("shut down", record.Error);
    }

    [Fact]
    public async Task Queued_task_of_another_process_stopped_from_here_never_runs()
    {
        await using var sandbox = new Sandbox();
        var host = sandbox.StartHost(throttle: 1);
        Assert.Equal("ready", await host.ReadLineAsync());
        var blocker = sandbox.File("blocker.txt");
        var report = sandbox.File("never.json");
        var queuedPrompt = sandbox.File("queued.txt");
        File.WriteAllText(blocker, "fake:sleep 60000");
        File.WriteAllText(queuedPrompt, $"fake:report {report}");
        var (blockerId, _) = await host.StartTaskAsync(blocker);
        var (queuedId, _) = await host.StartTaskAsync(queuedPrompt);
        var manager = sandbox.Manager();
        Assert.Equal(ClaudeTaskState.Queued, manager.Get(queuedId)!.State);

        var stopped = await manager.StopAsync(queuedId).WaitAsync(Hang);
        await manager.StopAsync(blockerId).WaitAsync(Hang);

        Assert.Equal(ClaudeTaskState.Cancelled, stopped.State);
        Assert.Equal($"finished {queuedId} cancelled", await host.SendAsync($"wait {queuedId}"));
        Assert.False(File.Exists(report), "the queued task must never start");
    }

    [Fact]
    public async Task Task_of_a_frozen_owner_is_still_stopped_and_recorded_cancelled()
    {
        await using var sandbox = new Sandbox();
        var host = sandbox.StartHost();
        Assert.Equal("ready", await host.ReadLineAsync());
        var prompt = sandbox.File("prompt.txt");
        File.WriteAllText(prompt, "fake:sleep 60000");
        var (id, childPid) = await host.StartTaskAsync(prompt);
        Assert.True(Processes.PosixSignals.Send(host.Process.Id, Processes.PosixSignals.Stop));
        try
        {
            var stopped = await sandbox.Manager().StopAsync(id).WaitAsync(Hang);

            Assert.Equal(ClaudeTaskState.Cancelled, stopped.State);
            await ProcessAssert.GoneAsync([childPid], TimeSpan.FromSeconds(5));
        }
        finally
        {
            Processes.PosixSignals.Send(host.Process.Id, 18); // SIGCONT
        }
        // Awake again, the owner sees its child gone and the stop request, and agrees.
        Assert.Equal($"finished {id} cancelled", await host.SendAsync($"wait {id}"));
    }

    [Fact]
    public async Task Readers_of_a_dead_owner_s_tasks_agree_on_what_happened_whenever_they_read()
    {
        await using var sandbox = new Sandbox();
        var orphans = new List<int>();
        var ids = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            // Each orphan carries its task's marker, as every child the engine starts does.
            ids.Add(DeadOwnerRecord.Write(sandbox, ClaudeTaskState.Running, id =>
            {
                using var orphan = MarkedProcess.Start(id, "sleep", "60");
                orphans.Add(orphan.Id);
                return Processes.ProcessIdentity.Of(orphan.Id);
            }).Id);
        }
        var manager = sandbox.Manager(); // its own search for orphans runs too, beside the readers below

        // Many readers of each task, a fraction of a millisecond apart: some find the child killed by another reader
        // that has not yet written what it did.
        var seen = await Task.WhenAll(ids.SelectMany(id => Enumerable.Range(0, 12).Select(k => Task.Run(() =>
        {
            var until = System.Diagnostics.Stopwatch.GetTimestamp() + k * System.Diagnostics.Stopwatch.Frequency / 5000;
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until) Thread.SpinWait(10);
            return manager.Get(id)!;
        }))));

        Assert.All(seen, r => Assert.Equal(ClaudeTaskState.Failed, r.State));
        Assert.All(seen, r => Assert.Contains("orphaned claude process was stopped", r.Error));
        var fresh = new Store.TaskStore(sandbox.StateDir);
        Assert.All(ids, id => Assert.Contains("orphaned claude process was stopped", fresh.Read(id)!.Error));
        await ProcessAssert.GoneAsync(orphans, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_recycled_pid_is_never_killed_as_an_orphan()
    {
        await using var sandbox = new Sandbox();
        // A record whose child pid now belongs to another process (this one), with another start time.
        var record = DeadOwnerRecord.Write(sandbox, ClaudeTaskState.Running, new Processes.ProcessIdentity(Environment.ProcessId, "not-my-start-time"));

        var recovered = sandbox.Manager().Get(record.Id)!;

        Assert.Equal(ClaudeTaskState.Failed, recovered.State);
        Assert.DoesNotContain("orphaned claude process was stopped", recovered.Error);
        Assert.True(ProcessAssert.IsAlive(Environment.ProcessId)); // we are still here
    }
}
