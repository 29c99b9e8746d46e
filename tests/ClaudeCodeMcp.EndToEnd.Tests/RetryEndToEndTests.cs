using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Streaming;
using ClaudeCodeMcp.EndToEnd.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;
using Xunit.Abstractions;

namespace ClaudeCodeMcp.EndToEnd.Tests;

/// <summary>
/// Retries with the real CLI. Measured with 2.1.331: given <c>CLAUDE_CODE_MAX_RETRIES=N</c> it sends a failing request
/// N+1 times, announcing each wait in a <c>system/api_retry</c> event (<c>retry_delay_ms</c> is the 429's retry-after
/// plus up to a second, or its own backoff from about half a second for a 529), then ends with a result whose
/// <c>api_error_status</c> is the last status and exits 1. A 401 ends the same way. The engine runs such a task again
/// on its session (--resume) after the wait the CLI last announced, or its own backoff.
/// </summary>
public sealed class RetryEndToEndTests(ITestOutputHelper output) : IClassFixture<SuiteDiagnostics>
{
    [SkippableFact]
    public async Task A_rate_limit_that_clears_after_the_second_attempt_completes_with_two_attempts_and_the_usage_of_both()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var notes = Path.Combine(rig.WorkDir, "notes.txt");
        File.WriteAllText(notes, "some notes\n");
        var rateLimited = 0;
        // Turn 0 reads a file; then the API answers 429 (retry-after 1) twice: the CLI's own request and its one retry.
        // The engine's second run resumes the session, and the API answers.
        rig.Api.OnConversation("E2E-RETRY-429", request =>
            request.Turn == 0 ? ApiReply.ToolUse("Read", new { file_path = notes })
            : Interlocked.Increment(ref rateLimited) <= 2 ? ApiReply.Error(429)
            : ApiReply.Text("E2E-RETRY-DONE"));
        var manager = rig.Manager();
        var spec = rig.Spec("E2E-RETRY-429: read the notes") with
        {
            MaxRetries = 2,
            Environment = new Dictionary<string, string> { ["CLAUDE_CODE_MAX_RETRIES"] = "1" },
        };

        var task = await EngineEndToEndTests.RunAsync(output, manager, spec);
        foreach (var request in rig.Api.RequestsOf("E2E-RETRY-429")) output.WriteLine("API: " + request);

        Assert.True(task.State == ClaudeTaskState.Completed, $"{task.State}: {task.Error}");
        Assert.Equal("E2E-RETRY-DONE", task.Result);
        Assert.Equal(2, task.Attempts);
        var events = manager.ReadEvents(task.Id).ToList();
        // The CLI's own retry said how long the API asked it to wait; its result named the 429.
        Assert.Contains(events.OfType<ApiRetryEvent>(), e => e.ErrorStatus == 429 && e.RetryDelayMs >= 1000);
        var results = events.OfType<ResultEvent>().ToList();
        Assert.Equal(2, results.Count);
        Assert.Equal(429, results[0].ApiErrorStatus);
        // Both runs spent tokens, and the record has their sum.
        Assert.All(results, r => Assert.True(r.Usage?.InputTokens > 0, "a run without usage"));
        Assert.Equal(results[0].Usage!.Add(results[1].Usage!), task.Usage);
        // The second run continued the first run's session: the same id, and the model saw the file it read.
        var last = rig.Api.RequestsOf("E2E-RETRY-429")[^1];
        Assert.Equal(task.SessionId, last.SessionHeader);
        Assert.Equal(results[0].SessionId, results[1].SessionId);
        Assert.Contains(last.Messages.SelectMany(m => m.ToolResults), r => r.Text.Contains("some notes", StringComparison.Ordinal));
        Assert.Empty(rig.ChildrenLeft());
    }

    [SkippableFact]
    public async Task A_refused_api_key_ends_failed_at_once_after_one_attempt()
    {
        await using var rig = await EndToEndRig.StartAsync();
        rig.Api.OnConversation("E2E-RETRY-401", _ => ApiReply.Error(401));
        var manager = rig.Manager();

        var task = await EngineEndToEndTests.RunAsync(output, manager, rig.Spec("E2E-RETRY-401: anything") with { MaxRetries = 3 });

        Assert.Equal(ClaudeTaskState.Failed, task.State);
        Assert.Equal(1, task.Attempts);
        Assert.Contains("HTTP 401", task.Error);
        Assert.Single(rig.Api.RequestsOf("E2E-RETRY-401"));
    }

    [SkippableFact]
    public async Task A_task_waiting_to_retry_an_overload_is_cancelled_and_nothing_runs_again()
    {
        await using var rig = await EndToEndRig.StartAsync();
        rig.Api.OnConversation("E2E-RETRY-CANCEL", _ => ApiReply.Error(529));
        // A backoff long enough that only the cancel can end the wait.
        var manager = rig.Sandbox.Manager(rig.EngineOptions() with { RetryBaseDelay = TimeSpan.FromMinutes(10) });
        var started = manager.Start(rig.Spec("E2E-RETRY-CANCEL: anything") with { MaxRetries = 2 });
        var waiting = await Eventually.ThatAsync(() => manager.Get(started.Id)!, r => r.RetryAt is not null || r.IsFinished,
            "the task waiting to run again", EndToEndRig.Hang);
        output.WriteLine(EngineEndToEndTests.Describe(waiting) + " activity=" + waiting.Activity?.Describe());
        Assert.Equal(ClaudeTaskState.Queued, waiting.State);
        Assert.Contains("HTTP 529", waiting.Activity!.Waiting);
        Assert.Empty(rig.ChildrenLeft());

        var stopped = await manager.StopAsync(started.Id).WaitAsync(EndToEndRig.Hang);

        Assert.Equal(ClaudeTaskState.Cancelled, stopped.State);
        Assert.Equal(1, stopped.Attempts);
        Assert.Single(rig.Api.RequestsOf("E2E-RETRY-CANCEL"));
        await rig.AssertNothingLeftAsync();
    }
}
