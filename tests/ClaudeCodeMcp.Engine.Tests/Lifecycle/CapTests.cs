using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

/// <summary>
/// The caps of SURFACE.md's "Limits and safety": each at its limit is accepted and one past it is refused (or, for a
/// child's output, stopped) with an error that says the limit and what to do.
/// </summary>
public sealed class CapTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_name_of_200_characters_is_taken_and_one_of_201_is_refused()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();

        var taken = manager.Start(sandbox.Spec("named") with { Name = new string('n', TaskLimits.MaxNameChars) });
        var refused = Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec("named") with { Name = new string('n', TaskLimits.MaxNameChars + 1) }));

        Assert.Equal(TaskLimits.MaxNameChars, taken.Name!.Length);
        Assert.Contains("The name is 201 characters; the limit is 200", refused.Message);
        await manager.WaitAsync([taken.Id]).WaitAsync(Hang);
    }

    [Fact]
    public async Task An_argument_longer_than_the_system_takes_is_refused_before_anything_starts()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var flag = "--append-system-prompt=".Length;

        var taken = manager.Start(sandbox.Spec("fits") with { AppendSystemPrompt = new string('a', TaskLimits.MaxArgumentBytes - flag) });
        var refused = Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec("too long") with { AppendSystemPrompt = new string('a', TaskLimits.MaxArgumentBytes - flag + 1) }));

        Assert.Equal(ClaudeTaskState.Completed, (await manager.WaitAsync([taken.Id]).WaitAsync(Hang))[0].State);
        Assert.Contains("The value of --append-system-prompt is 131,072 bytes; one argument to claude can be at most 131,071", refused.Message);
        Assert.Single(manager.List());
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("session-1")]
    [InlineData("0b3f2a1c7d4e4a8b9c2d1e5f6a7b8c9d")] // a UUID's digits, but not the form the CLI prints
    public async Task A_resume_id_that_is_not_a_session_id_is_refused(string session)
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();

        var refused = Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec("resume") with { ResumeSessionId = session }));

        Assert.Contains("is not a session id", refused.Message);
        Assert.Empty(manager.List());
    }

    [Fact]
    public async Task A_NUL_in_the_working_directory_is_refused_clearly()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();

        var refused = Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec("x") with { WorkingDirectory = sandbox.WorkDir + "\0/etc" }));

        Assert.Equal(ClaudeErrorCode.InvalidArgument, refused.Code);
        Assert.Contains("The working directory contains a NUL character", refused.Message);
    }

    [Fact]
    public async Task Past_the_queue_limit_a_start_is_refused_saying_so_and_the_queued_tasks_still_run()
    {
        await using var sandbox = new Sandbox();
        var cue = sandbox.File("go");
        var manager = sandbox.Manager(sandbox.Options(throttle: 1) with { MaxQueuedTasks = 3 });
        var running = manager.Start(sandbox.Spec($"fake:wait-for {cue}"));
        await Eventually.TrueAsync(() => manager.Get(running.Id)!.State == ClaudeTaskState.Running, "the first task runs", Hang);
        var queued = Enumerable.Range(0, 3).Select(i => manager.Start(sandbox.Spec($"queued {i}")).Id).ToList();

        var refused = Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec("one too many")));
        await File.WriteAllTextAsync(cue, "");
        var done = await manager.WaitAsync([running.Id, .. queued]).WaitAsync(Hang);

        Assert.Equal(ClaudeErrorCode.QueueFull, refused.Code);
        Assert.Contains("3 tasks of this process are already waiting to start (the limit is 3)", refused.Message);
        Assert.All(done, r => Assert.Equal(ClaudeTaskState.Completed, r.State));
        Assert.Equal(4, manager.List().Count);
    }

    [Fact]
    public async Task A_child_whose_output_passes_the_log_limit_is_stopped_and_fails_saying_so()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager(sandbox.Options() with { MaxStreamLogBytes = 64 * 1024 });

        var task = (await manager.WaitAsync([manager.Start(sandbox.Spec("fake:huge 1000000\nfake:sleep 60000")).Id]).WaitAsync(Hang))[0];

        Assert.Equal(ClaudeTaskState.Failed, task.State);
        Assert.Contains("passed the limit of its stream log, so it was stopped (output limit)", task.Error);
        Assert.Contains("Its first 65,536 bytes are in", task.Error);
        Assert.InRange(new FileInfo(Path.Combine(sandbox.StateDir, "tasks", task.Id, "stream.jsonl")).Length, 1, 64 * 1024);
    }
}
