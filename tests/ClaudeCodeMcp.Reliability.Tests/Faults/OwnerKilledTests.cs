using System.Diagnostics;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Processes;
using ClaudeCodeMcp.Engine.Store;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Reliability.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Reliability.Tests.Faults;

/// <summary>The process that owns running tasks dies without a chance to clean up (SIGKILL).</summary>
public sealed class OwnerKilledTests
{

    [Fact]
    public async Task Owner_killed_while_five_tasks_run_their_orphans_die_the_tasks_fail_and_finished_results_stay()
    {
        await using var sandbox = new Sandbox();
        var host = sandbox.StartHost(throttle: 8);
        Assert.Equal("ready", await host.ReadLineAsync());
        var pids = sandbox.File("grandchildren");
        var slow = sandbox.File("slow.txt");
        File.WriteAllText(slow, $"fake:spawn {pids} 1\nfake:tool-start Bash\nfake:sleep 60000");
        var finishedIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var quick = sandbox.File($"quick{i}.txt");
            File.WriteAllText(quick, $"fake:cost 0.5\nfake:text result {i} before the crash");
            var (id, _) = await host.StartTaskAsync(quick);
            Assert.Equal($"finished {id} completed", await host.SendAsync($"wait {id}"));
            finishedIds.Add(id);
        }
        var running = new List<(string Id, int Pid)>();
        for (var i = 0; i < 5; i++) running.Add(await host.StartTaskAsync(slow));
        await ProcessAssert.PidFileAsync(pids, 5);
        var orphans = ProcessAssert.ReadPidFile(pids).Concat(running.Select(r => r.Pid)).ToList();
        Assert.Equal(10, orphans.Count);

        // A bystander whose pid a stale record names with another start time: a recycled pid, never to be killed.
        using var bystander = StartBystander(sandbox);
        var store = new TaskStore(sandbox.StateDir);
        var deadOwner = new ProcessIdentity(host.Process.Id, ProcessIdentity.Of(host.Process.Id)!.StartTime);
        var recycled = store.Create(id => new ClaudeTaskRecord
        {
            Id = id,
            State = ClaudeTaskState.Running,
            PromptPreview = "",
            WorkingDirectory = sandbox.WorkDir,
            CreatedAt = DateTimeOffset.UtcNow,
            StartedAt = DateTimeOffset.UtcNow,
            Owner = deadOwner,
            Child = new ProcessIdentity(bystander.Id, "1"), // the bystander's pid, not its start time
        }, "recycled pid");
        // And a record whose owner pid is alive but recycled (this test process, another start time): the owner is dead.
        var recycledOwner = store.Create(id => new ClaudeTaskRecord
        {
            Id = id,
            State = ClaudeTaskState.Queued,
            PromptPreview = "",
            WorkingDirectory = sandbox.WorkDir,
            CreatedAt = DateTimeOffset.UtcNow,
            Owner = new ProcessIdentity(Environment.ProcessId, "1"),
        }, "owner pid recycled");

        await host.KillAsync(watchdogToo: true); // SIGKILL, its watchdog too: no cleanup at all
        Assert.All(orphans, pid => Assert.True(ProcessAssert.IsAlive(pid), $"{pid} should outlive its owner"));

        // The next start finds them.
        var manager = sandbox.Manager();
        await ProcessAssert.GoneAsync(orphans, TimeSpan.FromSeconds(10));
        var all = manager.List().ToDictionary(r => r.Id);

        foreach (var (id, _) in running)
        {
            Assert.Equal(ClaudeTaskState.Failed, all[id].State);
            Assert.Contains($"(pid {host.Process.Id}) ended while it was running", all[id].Error);
            Assert.Contains("orphaned claude process was stopped", all[id].Error);
            Assert.Null(all[id].Child);
        }
        for (var i = 0; i < finishedIds.Count; i++)
        {
            var done = all[finishedIds[i]];
            Assert.Equal(ClaudeTaskState.Completed, done.State);
            Assert.Equal($"result {i} before the crash", done.Result);
            Assert.Equal(0.5, done.CostUsd);
        }
        Assert.Equal(ClaudeTaskState.Failed, all[recycled.Id].State);
        Assert.DoesNotContain("orphaned claude process was stopped", all[recycled.Id].Error);
        Assert.False(bystander.HasExited, "a process whose pid was recycled must never be killed");
        Assert.Equal(ClaudeTaskState.Failed, all[recycledOwner.Id].State);
        Assert.Contains("ended before the task started", all[recycledOwner.Id].Error);
        Assert.DoesNotContain(all.Values, r => r.Unreadable);

        // What is on disk agrees, for every other process to see.
        foreach (var (id, _) in running) Assert.Equal(ClaudeTaskState.Failed, store.Read(id)!.State);
        bystander.Kill();
        await bystander.WaitForExitAsync();
    }

    /// <summary>A plain process outside the sandbox's work folder, killed by the test itself.</summary>
    private static Process StartBystander(Sandbox sandbox)
    {
        var psi = new ProcessStartInfo("sleep", "120") { UseShellExecute = false, WorkingDirectory = sandbox.Home };
        return Process.Start(psi)!;
    }
}
