using System.Collections.Concurrent;
using ClaudeCodeMcp.Engine.Streaming;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

/// <summary>
/// A task allowed retries runs again on its session when its child ends on a rate limit, an overload or a server
/// error; meanwhile it is queued and says until when; the runs' tokens and cost add up; a 401 is never retried, and
/// a cancel or timeout ends the wait. The fake claude's <c>fake:fail-runs n status [delay]</c> fails a session's first
/// n runs as the real CLI does when an API error outlasts its own retries.
/// </summary>
public sealed class RetryTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    private static async Task<ClaudeTaskRecord> RunAsync(ClaudeTaskManager manager, ClaudeTaskSpec spec)
    {
        var started = manager.Start(spec);
        return (await manager.WaitAsync([started.Id]).WaitAsync(Hang))[0];
    }

    [Fact]
    public async Task A_rate_limit_that_clears_on_the_second_run_completes_with_two_attempts_and_the_runs_usage_and_cost_summed()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var seen = new ConcurrentQueue<ClaudeTaskRecord>();
        manager.TaskChanged += seen.Enqueue;

        var record = await RunAsync(manager, sandbox.Spec("fake:fail-runs 1 429 50\nfake:result all done") with { MaxRetries = 2 });

        Assert.Equal(ClaudeTaskState.Completed, record.State);
        Assert.Equal("all done", record.Result);
        Assert.Equal(2, record.Attempts);
        Assert.Equal(new ClaudeTokenUsage { InputTokens = 20, OutputTokens = 10, CacheReadInputTokens = 6, CacheCreationInputTokens = 4 }, record.Usage);
        Assert.Equal(0.0246, record.CostUsd!.Value, 6);
        Assert.Null(record.RetryAt);
        // Between the runs it was queued, saying until when (UTC) and why.
        var waiting = Assert.Single(seen, r => r.State == ClaudeTaskState.Queued && r.RetryAt is not null);
        Assert.Matches(@"waiting until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC to run again \(run 2 of at most 3\): the Claude API answered HTTP 429", waiting.Activity!.Waiting);
        Assert.Equal(1, waiting.Attempts);
        // The second run continued the first one's session, and the transcript holds both.
        var results = manager.ReadEvents(record.Id).OfType<ResultEvent>().ToList();
        Assert.Equal(2, results.Count);
        Assert.Equal(results[0].SessionId, results[1].SessionId);
        Assert.Equal(results[0].SessionId, record.SessionId);
        Assert.Equal(2, manager.Store.Read(record.Id)!.Attempts);
    }

    [Theory]
    [InlineData(529)]
    [InlineData(500)]
    public async Task Overloads_and_server_errors_are_retried_until_the_retries_are_used_up_then_fail_saying_why(int status)
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();

        var record = await RunAsync(manager, sandbox.Spec($"fake:fail-runs 9 {status} 20\nfake:result never") with { MaxRetries = 2 });

        Assert.Equal(ClaudeTaskState.Failed, record.State);
        Assert.Equal(3, record.Attempts);
        Assert.Contains($"HTTP {status}", record.Error);
        Assert.EndsWith("The task ran 3 times: its 2 retries are used up.", record.Error);
        Assert.Equal(30, record.Usage!.InputTokens);
    }

    [Fact]
    public async Task Without_a_wait_from_the_api_the_task_backs_off_and_runs_again()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager(sandbox.Options() with { RetryBaseDelay = TimeSpan.FromMilliseconds(50) });

        var record = await RunAsync(manager, sandbox.Spec("fake:fail-runs 2 503\nfake:result recovered") with { MaxRetries = 3 });

        Assert.Equal(ClaudeTaskState.Completed, record.State);
        Assert.Equal(3, record.Attempts);
    }

    [Fact]
    public async Task A_refused_api_key_is_never_retried()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();

        var record = await RunAsync(manager, sandbox.Spec("fake:api-error 401 invalid x-api-key") with { MaxRetries = 5 });

        Assert.Equal(ClaudeTaskState.Failed, record.State);
        Assert.Equal(1, record.Attempts);
        Assert.Contains("HTTP 401", record.Error);
    }

    [Fact]
    public async Task A_max_turns_end_is_never_retried()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();

        var record = await RunAsync(manager, sandbox.Spec("fake:max-turns 3") with { MaxRetries = 5 });

        Assert.Equal(ClaudeTaskState.Failed, record.State);
        Assert.Equal(1, record.Attempts);
    }

    [Fact]
    public async Task Without_retries_a_rate_limit_fails_the_task_at_once()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();

        var record = await RunAsync(manager, sandbox.Spec("fake:fail-runs 1 429 10\nfake:result never"));

        Assert.Equal(ClaudeTaskState.Failed, record.State);
        Assert.Equal(1, record.Attempts);
        Assert.Contains("HTTP 429", record.Error);
    }

    [Fact]
    public async Task A_task_waiting_to_run_again_is_cancelled_at_once_and_leaves_no_process()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var started = manager.Start(sandbox.Spec("fake:fail-runs 1 429 600000\nfake:result never") with { MaxRetries = 3 });
        var waiting = await Eventually.ThatAsync(() => manager.Get(started.Id)!, r => r.RetryAt is not null, "the task waiting to run again", Hang);
        Assert.Equal(ClaudeTaskState.Queued, waiting.State);
        Assert.Null(waiting.Child);

        var record = await manager.StopAsync(started.Id).WaitAsync(Hang);

        Assert.Equal(ClaudeTaskState.Cancelled, record.State);
        Assert.Equal(1, record.Attempts);
        Assert.Null(record.RetryAt);
        Assert.Equal(10, record.Usage!.InputTokens); // the run it had is still counted
        Assert.Empty(ProcessAssert.RunningIn(sandbox.WorkDir));
    }

    [Fact]
    public async Task A_task_waiting_to_run_again_times_out_when_its_timeout_comes()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();

        var record = await RunAsync(manager, sandbox.Spec("fake:fail-runs 1 529 600000\nfake:result never") with { MaxRetries = 3, Timeout = TimeSpan.FromSeconds(3) });

        Assert.Equal(ClaudeTaskState.TimedOut, record.State);
        Assert.Equal(1, record.Attempts);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public void More_than_ten_retries_or_fewer_than_none_are_refused_with_the_limits(int retries)
    {
        var spec = new ClaudeTaskSpec { Prompt = "x", WorkingDirectory = Path.GetTempPath(), MaxRetries = retries };

        var error = Assert.Throws<ClaudeTaskException>(() => ClaudeArguments.Validate(spec));

        Assert.Contains("at least 0 and at most 10", error.Message);
    }
}
