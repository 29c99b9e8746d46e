using ClaudeCodeMcp.Engine.Store;
using ClaudeCodeMcp.Engine.Tests.Support;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

/// <summary>
/// Links planted where the store writes (a signal file, a log, the record, a slot file) are replaced or refused, never
/// followed: the file the link names, outside the store, is neither truncated nor written nor made. The review truncated
/// one of the victim's files through a link named like a signal file.
/// </summary>
public sealed class PlantedLinkTests
{
    private const string Precious = "the user's own file, not the store's\n";

    [Fact]
    public async Task Links_planted_as_signal_files_are_replaced_and_what_they_name_is_untouched()
    {
        await using var sandbox = new Sandbox();
        var store = new TaskStore(sandbox.StateDir);
        var record = store.Create(id => Record(sandbox, id), "p");
        var changed = Plant(sandbox, Path.Combine(store.SignalsDirectory, record.Id + ".changed"), "changed-target");
        var stop = Plant(sandbox, Path.Combine(store.SignalsDirectory, record.Id + ".stop"), "stop-target");

        store.Write(record with { State = ClaudeTaskState.Running }, notify: true);
        store.RequestStop(record.Id);

        AssertUntouched(changed);
        AssertUntouched(stop);
        Assert.True(store.HasStopRequest(record.Id));
        AssertRegularFile(Path.Combine(store.SignalsDirectory, record.Id + ".changed"));
        AssertRegularFile(Path.Combine(store.SignalsDirectory, record.Id + ".stop"));
    }

    [Fact]
    public async Task Links_planted_as_logs_are_replaced_and_what_they_name_is_untouched()
    {
        await using var sandbox = new Sandbox();
        var store = new TaskStore(sandbox.StateDir);
        var record = store.Create(id => Record(sandbox, id), "p");
        var stream = Plant(sandbox, store.StreamLogPath(record.Id), "stream-target");
        var stderr = Plant(sandbox, store.StderrLogPath(record.Id), "stderr-target");
        var dangling = sandbox.File("made-through-a-dangling-link");

        foreach (var log in new[] { store.StreamLogPath(record.Id), store.StderrLogPath(record.Id) })
        {
            using (var file = store.CreateLog(log)) file.Write("logged\n"u8);
            AssertRegularFile(log);
            Assert.Equal("logged\n", File.ReadAllText(log));
        }
        File.Delete(store.StreamLogPath(record.Id));
        File.CreateSymbolicLink(store.StreamLogPath(record.Id), dangling);
        using (var file = store.CreateLog(store.StreamLogPath(record.Id))) file.Write("again\n"u8);

        AssertUntouched(stream);
        AssertUntouched(stderr);
        Assert.False(File.Exists(dangling));
    }

    [Fact]
    public async Task A_link_planted_as_the_record_is_replaced_and_what_it_names_is_untouched()
    {
        await using var sandbox = new Sandbox();
        var store = new TaskStore(sandbox.StateDir);
        var record = store.Create(id => Record(sandbox, id), "p");
        var path = Path.Combine(store.TaskDirectory(record.Id), "record.json");
        var target = Plant(sandbox, path, "record-target");

        store.Write(record with { State = ClaudeTaskState.Completed, Result = "mine" }, notify: true);

        AssertUntouched(target);
        AssertRegularFile(path);
        Assert.Equal("mine", new TaskStore(sandbox.StateDir).Read(record.Id)!.Result);
    }

    [Fact]
    public async Task A_task_run_with_links_planted_as_slot_files_makes_and_touches_nothing_outside_the_store()
    {
        await using var sandbox = new Sandbox();
        var slots = Path.Combine(sandbox.StateDir, "slots");
        Directory.CreateDirectory(slots, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var dangling = sandbox.File("slot-made-through-a-dangling-link");
        File.CreateSymbolicLink(Path.Combine(slots, "0"), dangling);
        var existing = Plant(sandbox, Path.Combine(slots, "1"), "slot-target");
        var manager = sandbox.Manager(sandbox.Options() with { MaxChildren = 2 });

        var done = await CompletionTests.RunAsync(manager, sandbox.Spec("fake:text ran"));

        Assert.Equal("ran", done.Result);
        AssertUntouched(existing);
        Assert.False(File.Exists(dangling));
    }

    private sealed record Planted(string Target, DateTime WrittenAt);

    /// <summary>A link at <paramref name="path"/> (in place of whatever was there) to a file of the user's outside the store.</summary>
    private static Planted Plant(Sandbox sandbox, string path, string name)
    {
        File.Delete(path);
        var target = sandbox.File(name);
        File.WriteAllText(target, Precious);
        var writtenAt = DateTime.UtcNow.AddMinutes(-5);
        File.SetLastWriteTimeUtc(target, writtenAt);
        File.CreateSymbolicLink(path, target);
        return new Planted(target, File.GetLastWriteTimeUtc(target));
    }

    private static void AssertUntouched(Planted planted)
    {
        Assert.Equal(Precious, File.ReadAllText(planted.Target));
        Assert.Equal(planted.WrittenAt, File.GetLastWriteTimeUtc(planted.Target));
    }

    private static void AssertRegularFile(string path)
    {
        var info = new FileInfo(path);
        Assert.True(info.Exists, path);
        Assert.Null(info.LinkTarget);
    }

    private static ClaudeTaskRecord Record(Sandbox sandbox, string id) => new()
    {
        Id = id,
        State = ClaudeTaskState.Queued,
        PromptPreview = "",
        WorkingDirectory = sandbox.WorkDir,
        CreatedAt = DateTimeOffset.UtcNow,
    };
}
