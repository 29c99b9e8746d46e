using ClaudeCodeMcp.Engine.Tests.Support;
using static ClaudeCodeMcp.Engine.Tests.Lifecycle.CompletionTests;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

/// <summary>A failed child is never reported completed, and the reason says what happened.</summary>
public sealed class FailureTests
{
    [Fact]
    public async Task Api_error_is_never_reported_completed()
    {
        await using var sandbox = new Sandbox();
        var record = await RunAsync(sandbox.Manager(), sandbox.Spec("fake:api-error 500 Internal server error"));

        Assert.Equal(ClaudeTaskState.Failed, record.State);
        Assert.Equal(500, record.ApiErrorStatus);
        Assert.Contains("HTTP 500", record.Error);
        Assert.Contains("Internal server error", record.Error);
        Assert.Equal(1, record.ExitCode);
    }

    [Fact]
    public async Task Max_turns_reached_is_failed_with_that_reason()
    {
        await using var sandbox = new Sandbox();
        var record = await RunAsync(sandbox.Manager(), sandbox.Spec("fake:text step\nfake:max-turns 3"));

        Assert.Equal(ClaudeTaskState.Failed, record.State);
        Assert.Contains("Reached maximum number of turns (3)", record.Error);
        Assert.Equal("error_max_turns", record.ResultSubtype);
    }

    [Fact]
    public async Task Error_result_is_failed_even_when_the_child_exits_zero()
    {
        await using var sandbox = new Sandbox();
        var record = await RunAsync(sandbox.Manager(), sandbox.Spec("fake:error-result error_during_execution the tool crashed"));

        Assert.Equal(ClaudeTaskState.Failed, record.State);
        Assert.Contains("the tool crashed", record.Error);
    }

    [Fact]
    public async Task Exit_zero_without_a_result_is_failed()
    {
        await using var sandbox = new Sandbox();
        var record = await RunAsync(sandbox.Manager(), sandbox.Spec("fake:text halfway\nfake:no-result"));

        Assert.Equal(ClaudeTaskState.Failed, record.State);
        Assert.Contains("exited with code 0 without a result", record.Error);
        Assert.Null(record.Result);
    }

    [Fact]
    public async Task Startup_error_is_failed_with_what_claude_printed_on_stderr()
    {
        await using var sandbox = new Sandbox();
        var record = await RunAsync(sandbox.Manager(),
            sandbox.Spec("fake:stderr Error: --dangerously-skip-permissions cannot be used with root/sudo privileges\nfake:exit 1"));

        Assert.Equal(ClaudeTaskState.Failed, record.State);
        Assert.Contains("exited with code 1", record.Error);
        Assert.Contains("cannot be used with root/sudo privileges", record.Error);
    }

    [Fact]
    public async Task Crashed_child_is_failed_with_the_signal_in_the_reason()
    {
        await using var sandbox = new Sandbox();
        var record = await RunAsync(sandbox.Manager(), sandbox.Spec("fake:text about to crash\nfake:signal 11"));

        Assert.Equal(ClaudeTaskState.Failed, record.State);
        Assert.Contains("SIGSEGV", record.Error);
    }

    [Fact]
    public async Task Child_killed_from_outside_is_failed_with_the_signal()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var started = manager.Start(sandbox.Spec("fake:sleep 30000"));
        Assert.NotNull(started.Child);

        System.Diagnostics.Process.GetProcessById(started.Child!.Pid).Kill();
        var record = (await manager.WaitAsync([started.Id]).WaitAsync(TimeSpan.FromSeconds(30)))[0];

        Assert.Equal(ClaudeTaskState.Failed, record.State);
        Assert.Contains("SIGKILL", record.Error);
    }

    [Fact]
    public async Task Executable_that_vanished_before_a_queued_task_starts_fails_that_task()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager(sandbox.Options(throttle: 1));
        var blocker = manager.Start(sandbox.Spec("fake:sleep 60000"));
        var script = sandbox.File("claude-script");
        File.WriteAllText(script, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        var queued = manager.Start(sandbox.Spec("hello") with { ClaudePath = script });
        File.Delete(script);

        await manager.StopAsync(blocker.Id);
        var record = (await manager.WaitAsync([queued.Id]).WaitAsync(TimeSpan.FromSeconds(30)))[0];

        Assert.Equal(ClaudeTaskState.Failed, record.State);
        Assert.Contains("could not be started", record.Error);
        Assert.Contains(script, record.Error);
    }
}
