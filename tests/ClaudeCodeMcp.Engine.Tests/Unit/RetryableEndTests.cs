using ClaudeCodeMcp.Engine.Retries;
using ClaudeCodeMcp.Engine.Streaming;
using Xunit;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

/// <summary>
/// Which ends of a run a retry can get past: the result lines 2.1.331 prints when an API error outlasts its own retries
/// (measured against a fake Messages API: <c>is_error: true</c>, <c>subtype: success</c>, <c>terminal_reason: api_error</c>,
/// <c>api_error_status</c> the last status). Rate limits, overloads and server errors are; a 401, any other 4xx, a
/// max-turns or budget end, a stop and a failure of the task itself never are.
/// </summary>
public sealed class RetryableEndTests
{
    private static ResultEvent ApiError(int? status, string text) => new()
    {
        Subtype = "success",
        IsError = true,
        ApiErrorStatus = status,
        Result = text,
        TerminalReason = "api_error",
        NumTurns = 1,
    };

    private static RetryableEnd? Classify(ResultEvent? result, ClaudeStopReason stop = ClaudeStopReason.None, string plain = "")
    {
        var verdict = ClaudeTaskOutcome.Classify(result, exitCode: 1, stop, timeout: null, stderrTail: "", plain);
        return RetryableEnd.Classify(verdict.State, stop, result, plain);
    }

    [Theory]
    [InlineData(429, "API Error: Request rejected (429) · Number of request tokens has exceeded your per-minute rate limit", "HTTP 429 (rate limit)")]
    [InlineData(529, "API Error: 529 Overloaded. This is a server-side issue, usually temporary — try again in a moment.", "HTTP 529 (overloaded)")]
    [InlineData(500, "API Error: 500 Internal server error. This is a server-side issue, usually temporary — try again in a moment.", "HTTP 500 (server error)")]
    [InlineData(502, "API Error: 502 Bad gateway", "HTTP 502 (server error)")]
    [InlineData(503, "API Error: 503 fake 503. This is a server-side issue", "HTTP 503 (server error)")]
    public void Rate_limits_overloads_and_server_errors_are_retried(int status, string text, string reason)
    {
        var end = Classify(ApiError(status, text));

        Assert.NotNull(end);
        Assert.Equal(status, end.Status);
        Assert.Contains(reason, end.Reason);
    }

    [Theory]
    [InlineData(401, "Failed to authenticate. API Error: 401 invalid x-api-key")]
    [InlineData(400, "API Error: 400 prompt is too long")]
    [InlineData(403, "API Error: 403 permission denied")]
    [InlineData(404, "API Error: 404 model not found")]
    [InlineData(413, "API Error: 413 request too large")]
    public void Client_errors_and_a_refused_key_are_never_retried(int status, string text) =>
        Assert.Null(Classify(ApiError(status, text)));

    [Fact]
    public void A_request_timeout_without_a_status_is_not_retried() =>
        Assert.Null(Classify(ApiError(null, "Request timed out.")));

    [Fact]
    public void A_max_turns_end_is_never_retried() => Assert.Null(Classify(new ResultEvent
    {
        Subtype = "error_max_turns",
        IsError = true,
        Errors = ["Reached maximum number of turns (3)"],
        NumTurns = 3,
    }));

    [Fact]
    public void A_budget_end_is_never_retried() => Assert.Null(Classify(new ResultEvent
    {
        Subtype = "error_max_budget_usd",
        IsError = true,
        TerminalReason = "budget_exhausted",
    }));

    [Fact]
    public void A_failure_of_the_task_itself_is_never_retried()
    {
        Assert.Null(Classify(new ResultEvent { Subtype = "error_during_execution", IsError = true, Result = "The tool failed", NumTurns = 2 }));
        Assert.Null(Classify(null, plain: "Error: something broke"));
    }

    [Fact]
    public void A_success_is_not_retried() =>
        Assert.Null(Classify(new ResultEvent { Subtype = "success", IsError = false, Result = "done", NumTurns = 1 }));

    [Theory]
    [InlineData(ClaudeStopReason.Cancelled)]
    [InlineData(ClaudeStopReason.TimedOut)]
    [InlineData(ClaudeStopReason.OutputLimit)]
    public void A_run_the_engine_stopped_is_never_retried_even_on_a_rate_limit(ClaudeStopReason stop) =>
        Assert.Null(Classify(ApiError(429, "API Error: Request rejected (429)"), stop));

    [Fact]
    public void A_usage_limit_is_retried_at_its_reset_time()
    {
        var end = Classify(ApiError(429, "Claude AI usage limit reached|1798765200"));

        Assert.NotNull(end);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1798765200), end.ResetsAt);
    }

    [Fact]
    public void A_usage_limit_printed_as_plain_text_without_a_result_is_retried()
    {
        var end = Classify(null, plain: "Claude AI usage limit reached|1798765200");

        Assert.NotNull(end);
        Assert.Null(end.Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1798765200), end.ResetsAt);
    }
}
