using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

/// <summary>Bad input gets a clear error that says what to do, and nothing is started or lost.</summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task Missing_claude_is_refused_with_the_hint_to_say_where_it_is()
    {
        await using var sandbox = new Sandbox();
        sandbox.Environment["PATH"] = sandbox.Root;
        var manager = sandbox.Manager(sandbox.Options() with { ClaudePath = null });

        var error = Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec("hello")));

        Assert.Equal(ClaudeErrorCode.ClaudeNotFound, error.Code);
        Assert.Equal(ClaudeHint.ChooseClaudePath, error.Hint);
        Assert.Empty(manager.List());
    }

    [Fact]
    public async Task Claude_is_found_through_CLAUDE_CODE_PATH_and_on_PATH()
    {
        await using var sandbox = new Sandbox();
        sandbox.Environment["PATH"] = Path.GetDirectoryName(TestPaths.FakeClaude)!;
        var onPath = await CompletionTests.RunAsync(sandbox.Manager(sandbox.Options() with { ClaudePath = null }), sandbox.Spec("via PATH"));
        Assert.Equal(ClaudeTaskState.Completed, onPath.State);

        sandbox.Environment["PATH"] = sandbox.Root;
        sandbox.Environment[ClaudeExecutableLocator.PathVariable] = TestPaths.FakeClaude;
        var viaVariable = await CompletionTests.RunAsync(sandbox.Manager(sandbox.Options() with { ClaudePath = null }), sandbox.Spec("via variable"));
        Assert.Equal("via variable", viaVariable.Result);
    }

    [Fact]
    public async Task Missing_working_directory_is_refused_before_anything_starts()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var missing = Path.Combine(sandbox.Root, "no-such-dir");

        var error = Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec("hello") with { WorkingDirectory = missing }));

        Assert.Equal(ClaudeErrorCode.WorkingDirectoryNotFound, error.Code);
        Assert.Contains(missing, error.Message);
        Assert.Empty(manager.List());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    public async Task Empty_prompt_is_refused(string prompt)
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var error = Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec(prompt)));
        Assert.Equal(ClaudeErrorCode.EmptyPrompt, error.Code);
        Assert.Empty(manager.List());
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("..")]
    [InlineData("abc/defg")]
    [InlineData("/tmp")]
    [InlineData("ABCDEFGH")]
    [InlineData("")]
    [InlineData("abcdefgh-too-long")]
    public async Task Invalid_and_traversal_task_ids_are_refused_everywhere(string id)
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();

        Assert.Equal(ClaudeErrorCode.InvalidTaskId, Assert.Throws<ClaudeTaskException>(() => manager.Get(id)).Code);
        Assert.Equal(ClaudeErrorCode.InvalidTaskId, (await Assert.ThrowsAsync<ClaudeTaskException>(() => manager.StopAsync(id))).Code);
        Assert.Equal(ClaudeErrorCode.InvalidTaskId, (await Assert.ThrowsAsync<ClaudeTaskException>(() => manager.RemoveAsync(id, force: true))).Code);
        Assert.Equal(ClaudeErrorCode.InvalidTaskId, (await Assert.ThrowsAsync<ClaudeTaskException>(() => manager.WaitAsync([id]))).Code);
        Assert.Equal(ClaudeErrorCode.InvalidTaskId, Assert.Throws<ClaudeTaskException>(() => manager.GetPrompt(id)).Code);
    }

    [Fact]
    public async Task Unknown_task_id_says_so()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();

        Assert.Null(manager.Get("abcdefgh"));
        var error = await Assert.ThrowsAsync<ClaudeTaskException>(() => manager.StopAsync("abcdefgh"));
        Assert.Equal(ClaudeErrorCode.TaskNotFound, error.Code);
        Assert.Contains("abcdefgh", error.Message);
    }

    [Fact]
    public async Task Removing_a_running_task_needs_force_and_force_stops_it_first()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var running = manager.Start(sandbox.Spec("fake:sleep 60000"));

        var error = await Assert.ThrowsAsync<ClaudeTaskException>(() => manager.RemoveAsync(running.Id));
        Assert.Equal(ClaudeErrorCode.TaskStillRunning, error.Code);
        Assert.Equal(ClaudeHint.ForceRemove, error.Hint);

        await manager.RemoveAsync(running.Id, force: true);
        Assert.Null(manager.Get(running.Id));
        Assert.False(Directory.Exists(Path.Combine(sandbox.StateDir, "tasks", running.Id)));
        await ProcessAssert.GoneAsync([running.Child!.Pid], TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Timeout_beyond_thirty_days_is_refused()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var error = Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec("hi") with { Timeout = TimeSpan.FromDays(60) }));
        Assert.Equal(ClaudeErrorCode.InvalidArgument, error.Code);
        Assert.Contains("30 days", error.Message);
    }

    [Fact]
    public async Task Bad_permission_mode_is_refused_with_the_list_of_modes()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var error = Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec("hi") with { PermissionMode = "yolo" }));
        Assert.Equal(ClaudeErrorCode.InvalidArgument, error.Code);
        Assert.Contains("bypassPermissions", error.Message);
    }
}
