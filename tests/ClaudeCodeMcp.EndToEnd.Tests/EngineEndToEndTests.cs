using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace ClaudeCodeMcp.EndToEnd.Tests;

/// <summary>The engine (<see cref="ClaudeTaskManager"/>) driving the real <c>claude</c> against the fake Messages API.</summary>
public sealed class EngineEndToEndTests(ITestOutputHelper output) : IClassFixture<SuiteDiagnostics>
{
    [SkippableFact]
    public async Task A_child_writes_a_file_with_the_real_Write_tool_and_its_final_text_comes_back_with_session_and_cost()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var target = Path.Combine(rig.WorkDir, "hello.txt");
        rig.Api.OnConversation("E2E-WRITE", ApiReply.ToolThenText(
            "Write",
            new { file_path = target, content = "written by the real Write tool\n" },
            "I wrote hello.txt. E2E-FINAL-TEXT"));
        var manager = rig.Manager();

        var task = await RunAsync(output, manager, rig.Spec("E2E-WRITE: put a greeting in hello.txt"));

        Assert.True(task.State == ClaudeTaskState.Completed, $"{task.State}: {task.Error}");
        Assert.Equal("I wrote hello.txt. E2E-FINAL-TEXT", task.Result);
        Assert.Equal("written by the real Write tool\n", File.ReadAllText(target));
        Assert.True(Guid.TryParse(task.SessionId, out _), $"session id '{task.SessionId}'");
        Assert.True(task.CostUsd > 0, $"cost {task.CostUsd}");
        Assert.Equal(2, task.NumTurns);
        Assert.Empty(task.PermissionDenials);
        Assert.Equal(0, task.ExitCode);
        var requests = rig.Api.RequestsOf("E2E-WRITE");
        Assert.Equal(2, requests.Count);
        var written = Assert.Single(requests[1].LastToolResults);
        Assert.False(written.IsError, written.Text);
        Assert.All(requests, r => Assert.Equal(task.SessionId, r.SessionHeader));
        Assert.Empty(rig.ChildrenLeft());
    }

    [SkippableFact]
    public async Task Without_skip_permissions_the_write_is_denied_the_denial_is_in_the_record_and_no_file_exists()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var target = Path.Combine(rig.WorkDir, "denied.txt");
        // The model claims success whatever happened: only the record can tell the truth.
        rig.Api.OnConversation("E2E-DENIED", ApiReply.ToolThenText(
            "Write",
            new { file_path = target, content = "must not exist\n" },
            "Done, the file is written."));
        var manager = rig.Manager();

        var task = await RunAsync(output, manager, rig.Spec("E2E-DENIED: write denied.txt", skipPermissions: false));

        Assert.False(File.Exists(target), "the denied Write created the file");
        var denial = Assert.Single(task.PermissionDenials);
        Assert.Equal("Write", denial.ToolName);
        Assert.Contains("denied.txt", denial.ToolInput);
        // The CLI reports a success with denials; the record keeps both, and the tool result the model saw was an error.
        Assert.True(task.State == ClaudeTaskState.Completed, $"{task.State}: {task.Error}");
        var refused = Assert.Single(rig.Api.RequestsOf("E2E-DENIED")[1].LastToolResults);
        Assert.True(refused.IsError, refused.Text);
    }

    [SkippableTheory]
    [InlineData(401)]
    [InlineData(429)]
    [InlineData(500)]
    public async Task An_api_error_fails_the_child_with_the_api_error_in_its_reason(int status)
    {
        await using var rig = await EndToEndRig.StartAsync();
        rig.Api.OnConversation("E2E-API-ERROR", _ => ApiReply.Error(status, $"fake-{status}-detail"));
        var manager = rig.Manager();

        var task = await RunAsync(output, manager, rig.Spec("E2E-API-ERROR: anything"));

        Assert.Equal(ClaudeTaskState.Failed, task.State);
        Assert.Contains($"HTTP {status}", task.Error);
        Assert.Contains($"fake-{status}-detail", task.Error); // the message of the API's JSON error body
        Assert.Equal(status, task.ApiErrorStatus);
        Assert.Equal(1, task.ExitCode);
        // CLAUDE_CODE_MAX_RETRIES=0: one request, no retry storm.
        Assert.Single(rig.Api.RequestsOf("E2E-API-ERROR"));
        Assert.Empty(rig.ChildrenLeft());
    }

    [SkippableFact]
    public async Task Reaching_max_turns_fails_the_task_with_that_reason()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var notes = Path.Combine(rig.WorkDir, "notes.txt");
        File.WriteAllText(notes, "some notes\n");
        // A model that always calls a tool never ends on its own.
        rig.Api.OnConversation("E2E-TURNS", _ => ApiReply.ToolUse("Read", new { file_path = notes }));
        var manager = rig.Manager();

        var task = await RunAsync(output, manager, rig.Spec("E2E-TURNS: read forever", maxTurns: 2));

        Assert.Equal(ClaudeTaskState.Failed, task.State);
        Assert.Equal("error_max_turns", task.ResultSubtype);
        Assert.Contains("maximum number of turns (2)", task.Error);
        Assert.Equal(2, rig.Api.RequestsOf("E2E-TURNS").Count);
    }

    [SkippableFact]
    public async Task A_stalled_api_request_is_cancelled_and_the_child_and_its_whole_tree_end()
    {
        await using var rig = await EndToEndRig.StartAsync();
        rig.Api.OnConversation("E2E-STALL-CANCEL", StartBackgroundShellThenStall);
        var manager = rig.Manager();
        var task = manager.Start(rig.Spec("E2E-STALL-CANCEL: hang"));
        await rig.Api.WaitForStalledAsync();
        var tree = rig.ChildrenLeft();
        Assert.True(tree.Count >= 2, $"the child and its background shell run in the work folder: {string.Join(", ", tree)}");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var stopped = await manager.StopAsync(task.Id).WaitAsync(EndToEndRig.Hang);
        output.WriteLine(Describe(stopped));

        Assert.Equal(ClaudeTaskState.Cancelled, stopped.State);
        Assert.Empty(rig.ChildrenLeft());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {clock.ElapsedMilliseconds} ms");
        await rig.AssertNothingLeftAsync();
    }

    [SkippableFact]
    public async Task A_stalled_api_request_times_out_and_the_child_and_its_whole_tree_end()
    {
        await using var rig = await EndToEndRig.StartAsync();
        rig.Api.OnConversation("E2E-STALL-TIMEOUT", StartBackgroundShellThenStall);
        var manager = rig.Manager();

        foreach (var seconds in EndToEndRig.StallTimeouts)
        {
            var timeout = TimeSpan.FromSeconds(seconds);
            var marker = $"hang for a timeout of {seconds} s";
            var started = manager.Start(rig.Spec($"E2E-STALL-TIMEOUT: {marker}", timeout: timeout));
            var stalled = await rig.ReachesTurnOneAsync(marker, timeout);
            if (stalled) Assert.True(rig.ChildrenLeft().Count >= 2, "the child and its background shell run");
            var task = (await manager.WaitAsync([started.Id], timeout: EndToEndRig.Hang)).Single();
            output.WriteLine(Describe(task));

            Assert.Equal(ClaudeTaskState.TimedOut, task.State);
            Assert.Contains($"timeout of {seconds} s", task.Error);
            Assert.InRange(task.Elapsed!.Value, timeout, timeout + rig.EngineOptions().StopGracePeriod + TimeSpan.FromSeconds(5));
            Assert.Empty(rig.ChildrenLeft());
            await rig.AssertNothingLeftAsync();
            if (stalled) return;
            output.WriteLine($"The child did not reach its stall within {seconds} s; again with more time.");
        }
        Assert.Fail("The child never reached its stalled turn before its timeout.");
    }

    [SkippableFact]
    public async Task A_child_that_leaves_a_background_shell_running_after_its_result_is_completed_and_its_tree_is_stopped()
    {
        await using var rig = await EndToEndRig.StartAsync();
        // 2.1.331 stays alive after its result while a background Bash task runs (claude-cli.md §5).
        rig.Api.OnConversation("E2E-LINGER", ApiReply.ToolThenText(
            "Bash",
            new { command = "tail -f /dev/null", run_in_background = true, description = "Keep a process running" },
            "E2E-LINGER-DONE"));
        var manager = rig.Manager();

        var task = await RunAsync(output, manager, rig.Spec("E2E-LINGER: start something in the background and finish"));

        Assert.True(task.State == ClaudeTaskState.Completed, $"{task.State}: {task.Error}");
        Assert.Equal("E2E-LINGER-DONE", task.Result);
        Assert.Empty(rig.ChildrenLeft());
    }

    [SkippableFact]
    public async Task A_second_task_resumes_the_first_ones_session_and_the_model_sees_the_earlier_messages()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var word = "PINEAPPLE" + Guid.NewGuid().ToString("N")[..6];
        rig.Api.On(r => r.LastUserText.Contains("E2E-RESUME-2", StringComparison.Ordinal), TellsTheWordOnlyIfResumed(word));
        rig.Api.OnConversation("E2E-RESUME-1", _ => ApiReply.Text("Noted."));
        var manager = rig.Manager();

        var first = await RunAsync(output, manager, rig.Spec($"E2E-RESUME-1: remember the word {word}"));
        Assert.True(first.State == ClaudeTaskState.Completed, $"{first.State}: {first.Error}");
        var second = await RunAsync(output, manager, rig.Spec("E2E-RESUME-2: what was the word?") with { ResumeSessionId = first.SessionId });

        Assert.True(second.State == ClaudeTaskState.Completed, $"{second.State}: {second.Error}");
        Assert.Equal($"The word was {word}.", second.Result);
        Assert.Equal(first.SessionId, second.SessionId);
        Assert.Equal(first.SessionId, second.ResumeSessionId);
        var resumed = rig.Api.Requests.Last();
        Assert.Equal(first.SessionId, resumed.SessionHeader);
        Assert.Contains(word, resumed.FirstUserText);
    }

    /// <summary>Turn 0: a background shell (a grandchild in its own session); then every request stalls.</summary>
    internal static ApiReply StartBackgroundShellThenStall(ApiRequest request) => request.Turn == 0
        ? ApiReply.ToolUse("Bash", new { command = "tail -f /dev/null", run_in_background = true, description = "Keep a process running" })
        : ApiReply.Stall();

    /// <summary>
    /// Tells <paramref name="word"/> only when the conversation already holds it and the first task's "Noted."
    /// (that is, only in a resumed session).
    /// </summary>
    internal static Func<ApiRequest, ApiReply> TellsTheWordOnlyIfResumed(string word) => request =>
        ApiReply.Text(request.UserSaid(word) && request.AllAssistantText.Contains("Noted.", StringComparison.Ordinal) ? $"The word was {word}." : "I was never told a word.");

    internal static async Task<ClaudeTaskRecord> RunAsync(ITestOutputHelper output, ClaudeTaskManager manager, ClaudeTaskSpec spec)
    {
        var started = manager.Start(spec);
        var done = (await manager.WaitAsync([started.Id], timeout: EndToEndRig.Hang)).Single();
        output.WriteLine(Describe(done));
        Assert.True(done.IsFinished, $"task {done.Id} still {done.State} after {EndToEndRig.Hang}: {done.Activity?.Describe()}");
        return done;
    }

    /// <summary>The record in one line, for the test log.</summary>
    internal static string Describe(ClaudeTaskRecord t) =>
        $"task {t.Id}: {t.State.ToWireName()} exit={t.ExitCode} subtype={t.ResultSubtype} terminal={t.TerminalReason} api={t.ApiErrorStatus} "
        + $"turns={t.NumTurns} cost={t.CostUsd} session={t.SessionId} elapsed={t.Elapsed?.TotalMilliseconds:0}ms "
        + $"denials=[{string.Join(", ", t.PermissionDenials.Select(d => d.ToolName))}] result={t.Result} error={t.Error}";
}
