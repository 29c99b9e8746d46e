using ClaudeCodeMcp.Engine.Tests.Support;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

/// <summary>
/// A queued task's working directory is checked again just before its child starts: a folder swapped for a link to
/// somewhere else meanwhile (outside a server's allowed folders, say) fails the task with the reason, and no child runs there.
/// </summary>
public sealed class WorkingFolderSwapTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_folder_swapped_for_a_link_while_its_task_was_queued_fails_the_task_before_any_child_runs()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager(sandbox.Options(throttle: 1));
        var folder = Directory.CreateDirectory(Path.Combine(sandbox.WorkDir, "project")).FullName;
        var elsewhere = Directory.CreateDirectory(Path.Combine(sandbox.Root, "elsewhere")).FullName;
        var cue = sandbox.File("go");
        var report = sandbox.File("report.json");
        var blocker = manager.Start(sandbox.Spec($"fake:wait-for {cue}"));
        var queued = manager.Start(new ClaudeTaskSpec { Prompt = $"fake:report {report}", WorkingDirectory = folder });
        Assert.Equal(ClaudeTaskState.Queued, queued.State);

        Directory.Move(folder, folder + "-old");
        Directory.CreateSymbolicLink(folder, elsewhere);
        await File.WriteAllTextAsync(cue, "");
        var done = await manager.WaitAsync([blocker.Id, queued.Id]).WaitAsync(Hang);

        Assert.Equal(ClaudeTaskState.Completed, done[0].State);
        Assert.Equal(ClaudeTaskState.Failed, done[1].State);
        Assert.Contains($"now leads to '{elsewhere}'", done[1].Error);
        Assert.Null(done[1].StartedAt);
        Assert.False(File.Exists(report), "a child ran in the swapped folder");
    }
}
