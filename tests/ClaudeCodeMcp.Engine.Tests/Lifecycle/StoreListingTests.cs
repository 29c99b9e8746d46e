using ClaudeCodeMcp.Engine.Store;
using ClaudeCodeMcp.Engine.Tests.Support;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

/// <summary>
/// A list reuses the last reading of the tasks folder while the folder is unchanged; tasks made or removed by
/// another process (another store on the same folder) still show at once.
/// </summary>
public sealed class StoreListingTests
{
    [Fact]
    public async Task Tasks_made_and_removed_by_another_process_show_in_the_next_list()
    {
        await using var sandbox = new Sandbox();
        var mine = new TaskStore(sandbox.StateDir);
        var theirs = new TaskStore(sandbox.StateDir);
        var first = Make(mine, "first");
        var second = Make(mine, "second");
        Settle(mine); // the folder has been still for a while: this listing is kept and reused
        Assert.Equal([second, first], Ids(mine.List()));
        Assert.Equal([second, first], Ids(mine.List()));

        var third = Make(theirs, "third");
        Assert.Equal([third, second, first], Ids(mine.List()));

        Settle(mine);
        Assert.Equal([third, second, first], Ids(mine.List()));
        theirs.Delete(second);
        Assert.Equal([third, first], Ids(mine.List()));
    }

    [Fact]
    public async Task A_listing_taken_just_after_a_change_is_not_trusted_even_if_the_folder_time_looks_unchanged()
    {
        await using var sandbox = new Sandbox();
        var mine = new TaskStore(sandbox.StateDir);
        var theirs = new TaskStore(sandbox.StateDir);
        var first = Make(mine, "first");
        // The folder changed just now, as far as the listing can tell (a second ahead, so a slow machine cannot age it).
        var stamp = DateTime.UtcNow.AddSeconds(1);
        Directory.SetLastWriteTimeUtc(mine.TasksDirectory, stamp);
        Assert.Equal([first], Ids(mine.List()));

        // Another process adds a task within the same tick of the file-system clock: the folder time stays.
        var second = Make(theirs, "second");
        Directory.SetLastWriteTimeUtc(mine.TasksDirectory, stamp);

        Assert.Equal([second, first], Ids(mine.List()));
    }

    [Fact]
    public async Task Unfinished_tasks_are_read_again_on_every_list()
    {
        await using var sandbox = new Sandbox();
        var mine = new TaskStore(sandbox.StateDir);
        var theirs = new TaskStore(sandbox.StateDir);
        var id = Make(theirs, "running", ClaudeTaskState.Running);
        Settle(mine);
        Assert.Equal(ClaudeTaskState.Running, Assert.Single(mine.List()).State);

        var record = theirs.Read(id)! with { State = ClaudeTaskState.Completed, EndedAt = DateTimeOffset.UtcNow, Result = "done" };
        theirs.Write(record, notify: true);

        var listed = Assert.Single(mine.List());
        Assert.Equal(ClaudeTaskState.Completed, listed.State);
        Assert.Equal("done", listed.Result);
    }

    private static List<string> Ids(IEnumerable<ClaudeTaskRecord> records) => records.Select(r => r.Id).ToList();

    /// <summary>Lists once with the folder's time set well in the past, as if nothing had changed for a minute.</summary>
    private static void Settle(TaskStore store)
    {
        Directory.SetLastWriteTimeUtc(store.TasksDirectory, DateTime.UtcNow.AddMinutes(-1));
        store.List();
    }

    private static string Make(TaskStore store, string prompt, ClaudeTaskState state = ClaudeTaskState.Completed)
    {
        Thread.Sleep(2); // distinct creation times, so newest-first is well defined
        var now = DateTimeOffset.UtcNow;
        return store.Create(id => new ClaudeTaskRecord
        {
            Id = id,
            State = state,
            PromptPreview = "",
            WorkingDirectory = "/",
            CreatedAt = now,
            StartedAt = now,
            EndedAt = state == ClaudeTaskState.Completed ? now : null,
            Result = state == ClaudeTaskState.Completed ? prompt : null,
        }, prompt).Id;
    }
}
