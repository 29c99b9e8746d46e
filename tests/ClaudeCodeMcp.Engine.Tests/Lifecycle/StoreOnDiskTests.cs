using ClaudeCodeMcp.Engine.Tests.Support;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

/// <summary>What a finished task leaves in the state folder.</summary>
public sealed class StoreOnDiskTests
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task Task_folder_holds_record_prompt_and_logs_all_owner_only()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var record = await CompletionTests.RunAsync(manager, sandbox.Spec("fake:stderr a warning\nfake:text logged"));
        var dir = Path.Combine(sandbox.StateDir, "tasks", record.Id);

        Assert.Equal(["prompt.txt", "record.json", "stderr.log", "stream.jsonl"],
            Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(Path.Combine(sandbox.StateDir, "tasks")));
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(dir));
        foreach (var file in Directory.GetFiles(dir)) Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(file));
        Assert.Contains("a warning", File.ReadAllText(Path.Combine(dir, "stderr.log")));
        var stream = File.ReadAllLines(Path.Combine(dir, "stream.jsonl"));
        Assert.Contains("\"subtype\":\"init\"", stream[0]);
        Assert.Contains("\"type\":\"result\"", stream[^1]);
        Assert.Contains("\"state\":\"completed\"", File.ReadAllText(Path.Combine(dir, "record.json")));
    }

    [Fact]
    public async Task A_child_silent_on_stderr_leaves_no_stderr_log()
    {
        await using var sandbox = new Sandbox();
        var record = await CompletionTests.RunAsync(sandbox.Manager(), sandbox.Spec("quiet"));
        var dir = Path.Combine(sandbox.StateDir, "tasks", record.Id);

        Assert.Equal(["prompt.txt", "record.json", "stream.jsonl"], Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("quiet", record.Result);
    }

    [Fact]
    public async Task Finished_tasks_survive_a_new_engine_and_are_listed_newest_first()
    {
        await using var sandbox = new Sandbox();
        var first = sandbox.Manager();
        var a = await CompletionTests.RunAsync(first, sandbox.Spec("first"));
        var b = await CompletionTests.RunAsync(first, sandbox.Spec("fake:exit 2"));
        await first.DisposeAsync();

        var second = sandbox.Manager();
        var listed = second.List();

        Assert.Equal([b.Id, a.Id], listed.Select(r => r.Id));
        Assert.Equal(ClaudeTaskState.Failed, listed[0].State);
        Assert.Equal("first", listed[1].Result);
    }

    [Fact]
    public async Task A_damaged_record_is_reported_unreadable_and_the_others_still_list()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var good = await CompletionTests.RunAsync(manager, sandbox.Spec("good"));
        var bad = await CompletionTests.RunAsync(manager, sandbox.Spec("bad"));
        File.WriteAllText(Path.Combine(sandbox.StateDir, "tasks", bad.Id, "record.json"), "{\"id\":\"trunc");

        var listed = sandbox.Manager().List();

        Assert.Equal(2, listed.Count);
        var damaged = Assert.Single(listed, r => r.Unreadable);
        Assert.Equal(bad.Id, damaged.Id);
        Assert.Contains("could not be read", damaged.Error);
        Assert.Equal("good", Assert.Single(listed, r => !r.Unreadable).Result);
    }

    [Fact]
    public async Task Removed_task_is_gone_from_disk_and_lists()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var record = await CompletionTests.RunAsync(manager, sandbox.Spec("bye"));

        await manager.RemoveAsync(record.Id);

        Assert.Null(manager.Get(record.Id));
        Assert.Empty(manager.List());
        Assert.False(Directory.Exists(Path.Combine(sandbox.StateDir, "tasks", record.Id)));
    }

    [Fact]
    public async Task Unusable_state_folder_gives_a_clear_error()
    {
        await using var sandbox = new Sandbox();
        var file = sandbox.File("not-a-folder");
        File.WriteAllText(file, "x");

        var error = Assert.Throws<ClaudeTaskException>(() => sandbox.Manager(sandbox.Options() with { StateDirectory = Path.Combine(file, "state") }));

        Assert.Equal(ClaudeErrorCode.StateDirectoryUnavailable, error.Code);
        Assert.Equal(ClaudeHint.ChooseStateDirectory, error.Hint);
    }
}
