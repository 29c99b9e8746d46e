using System.Runtime.CompilerServices;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

/// <summary>
/// A long-lived owner does not grow with every task it ran: a finished task is let go once its final record is on
/// disk, and every door reads it from the store as before. One whose final record could not be written is kept.
/// </summary>
public sealed class ReleaseTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_finished_task_is_let_go_and_every_door_still_finds_it_on_disk()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var (id, environment) = StartWithEnvironmentOfItsOwn(manager, sandbox, "fake:text all done");
        var done = (await manager.WaitAsync([id]).WaitAsync(Hang))[0];
        Assert.Equal(ClaudeTaskState.Completed, done.State);

        await Eventually.TrueAsync(() => IsCollected(environment), "the finished task's environment to be released", Hang);

        Assert.Equal("all done", manager.Get(id)!.Result);
        Assert.Equal("all done", (await manager.WaitAsync([id]).WaitAsync(Hang))[0].Result);
        var stopped = await manager.StopAsync(id).WaitAsync(Hang);
        Assert.Equal(ClaudeTaskState.Completed, stopped.State); // a finished task is not stopped again
        Assert.Contains(manager.List(), r => r.Id == id && r.Result == "all done");
        Assert.Contains("all done", manager.ReadTranscript(id).Text);
        Assert.NotEmpty(manager.ReadEvents(id));
        await manager.RemoveAsync(id).WaitAsync(Hang);
        Assert.Null(manager.Get(id));
    }

    [Fact]
    public async Task A_cancelled_task_is_let_go_too()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager(sandbox.Options(throttle: 1));
        var blocker = manager.Start(sandbox.Spec("fake:sleep 60000"));
        var (queued, environment) = StartWithEnvironmentOfItsOwn(manager, sandbox, "never runs");

        await manager.StopAsync(queued).WaitAsync(Hang);
        await manager.StopAsync(blocker.Id).WaitAsync(Hang);

        await Eventually.TrueAsync(() => IsCollected(environment), "the cancelled task's environment to be released", Hang);
        Assert.Equal(ClaudeTaskState.Cancelled, manager.Get(queued)!.State);
        Assert.Equal(ClaudeTaskState.Cancelled, (await manager.StopAsync(queued).WaitAsync(Hang)).State);
    }

    [Fact]
    public async Task A_task_whose_final_record_cannot_be_written_stays_known_to_its_owner_until_the_record_reaches_disk()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var cue = sandbox.File("cue");
        var task = manager.Start(sandbox.Spec($"fake:wait-for {cue}\nfake:text the end"));
        var recordFile = Path.Combine(sandbox.StateDir, "tasks", task.Id, "record.json");
        BlockWithFolder(recordFile); // every write of the record now fails, as on a full or read-only disk

        File.WriteAllText(cue, "");
        var ended = (await manager.WaitAsync([task.Id]).WaitAsync(Hang))[0];

        Assert.Equal(ClaudeTaskState.Completed, ended.State);
        Assert.Equal("the end", manager.Get(task.Id)!.Result); // the store cannot say so: only this process knows
        Directory.Delete(recordFile);
        await Eventually.TrueAsync(() => new Store.TaskStore(sandbox.StateDir).Read(task.Id) is { State: ClaudeTaskState.Completed, Unreadable: false },
            "the final record on disk once the folder takes it again", Hang);
        Assert.Equal("the end", manager.Get(task.Id)!.Result);
    }

    /// <summary>Starts a task with an inherited environment nothing else holds; returns a weak handle on it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (string Id, WeakReference Environment) StartWithEnvironmentOfItsOwn(ClaudeTaskManager manager, Sandbox sandbox, string prompt)
    {
        var environment = new Dictionary<string, string>(sandbox.Environment);
        var started = manager.Start(sandbox.Spec(prompt) with { InheritedEnvironment = environment });
        return (started.Id, new WeakReference(environment));
    }

    private static bool IsCollected(WeakReference reference)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return !reference.IsAlive;
    }

    /// <summary>Puts a folder where the file is (a rename over a folder fails); the engine may be writing the file meanwhile.</summary>
    private static void BlockWithFolder(string file)
    {
        while (!Directory.Exists(file))
        {
            try
            {
                File.Delete(file);
                Directory.CreateDirectory(file);
            }
            catch (IOException)
            {
                // The engine wrote the file again between the two calls: once more.
            }
        }
    }
}
