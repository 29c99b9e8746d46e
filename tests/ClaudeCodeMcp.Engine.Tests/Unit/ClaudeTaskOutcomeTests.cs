using ClaudeCodeMcp.Engine.Streaming;
using Xunit;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

/// <summary>The outcome table of design/claude-cli.md §5: decide by the result line, not the exit code.</summary>
public sealed class ClaudeTaskOutcomeTests
{
    private static readonly ResultEvent Success = new()
    {
        Subtype = "success",
        IsError = false,
        Result = "All done.",
        TerminalReason = "completed",
        NumTurns = 2,
    };

    private static readonly ResultEvent ApiError500 = new()
    {
        Subtype = "success",
        IsError = true,
        ApiErrorStatus = 500,
        Result = "API Error: 500 {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}",
        TerminalReason = "api_error",
    };

    private static readonly ResultEvent MaxTurns = new()
    {
        Subtype = "error_max_turns",
        IsError = true,
        Errors = ["Reached maximum number of turns (3)"],
        NumTurns = 3,
    };

    private static readonly ResultEvent BudgetExhausted = new()
    {
        Subtype = "error_max_budget_usd",
        IsError = true,
        TerminalReason = "budget_exhausted",
        Errors = ["Reached maximum budget ($0.01)"],
    };

    private static ClaudeTaskOutcome.Verdict Classify(
        ResultEvent? result, int? exitCode, ClaudeStopReason stop = ClaudeStopReason.None, TimeSpan? timeout = null, string stderr = "") =>
        ClaudeTaskOutcome.Classify(result, exitCode, stop, timeout, stderr);

    [Fact]
    public void Success_result_is_completed_with_no_error()
    {
        var verdict = Classify(Success, 0);
        Assert.Equal(ClaudeTaskState.Completed, verdict.State);
        Assert.Null(verdict.Error);
    }

    [Theory]
    [InlineData(ClaudeStopReason.LingeredAfterResult)]
    [InlineData(ClaudeStopReason.Cancelled)]
    [InlineData(ClaudeStopReason.TimedOut)]
    public void Success_result_stays_completed_whatever_stopped_the_child_afterwards(ClaudeStopReason stop)
    {
        // A background Bash task keeps claude alive after its result; stopping it then must not undo the success.
        foreach (int? exit in new int?[] { 143, 137, null, 0 })
        {
            var verdict = Classify(Success, exit, stop, TimeSpan.FromSeconds(5), "Terminated");
            Assert.Equal(ClaudeTaskState.Completed, verdict.State);
            Assert.Null(verdict.Error);
        }
    }

    [Fact]
    public void Success_result_with_a_nonzero_exit_is_still_completed()
    {
        Assert.Equal(ClaudeTaskState.Completed, Classify(Success, 1).State);
    }

    [Fact]
    public void Permission_denials_do_not_change_completed()
    {
        var denied = Success with
        {
            PermissionDenials = [new ClaudePermissionDenial("Bash", "toolu_1", """{"command":"rm -rf /"}""")],
        };
        var verdict = Classify(denied, 0);
        Assert.Equal(ClaudeTaskState.Completed, verdict.State);
        Assert.Null(verdict.Error);
    }

    [Fact]
    public void Success_with_zero_turns_is_failed_because_nothing_ran()
    {
        // A failing skill preamble (CLI issue #87159) reports success with num_turns 0: the model never ran.
        var verdict = Classify(Success with { NumTurns = 0, Result = "" }, 0);
        Assert.Equal(ClaudeTaskState.Failed, verdict.State);
        Assert.Contains("a single turn", verdict.Error);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)] // 2.1.49 exited 0 here
    public void Api_error_under_subtype_success_is_failed(int exit)
    {
        var verdict = Classify(ApiError500, exit);
        Assert.Equal(ClaudeTaskState.Failed, verdict.State);
        Assert.Contains("500", verdict.Error);
        Assert.Contains("Internal server error", verdict.Error);
        Assert.Contains("API", verdict.Error);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(529)]
    public void Api_error_reason_names_the_http_status(int status)
    {
        var verdict = Classify(ApiError500 with { ApiErrorStatus = status, Result = $"API Error: {status} nope" }, 1);
        Assert.Equal(ClaudeTaskState.Failed, verdict.State);
        Assert.Contains($"HTTP {status}", verdict.Error);
        Assert.Contains("nope", verdict.Error);
    }

    [Fact]
    public void Max_turns_is_failed_with_the_cli_message_and_what_to_do()
    {
        var verdict = Classify(MaxTurns, 1);
        Assert.Equal(ClaudeTaskState.Failed, verdict.State);
        Assert.Contains("Reached maximum number of turns (3)", verdict.Error);
        Assert.DoesNotContain("MaxTurns", verdict.Error); // the remedy is a hint each door words
    }

    [Fact]
    public void Max_turns_without_errors_still_says_what_happened_and_what_to_do()
    {
        var verdict = Classify(MaxTurns with { Errors = [] }, 1);
        Assert.Equal(ClaudeTaskState.Failed, verdict.State);
        Assert.Contains("maximum number of turns", verdict.Error);
        Assert.DoesNotContain("MaxTurns", verdict.Error); // the remedy is a hint each door words
    }

    [Fact]
    public void Budget_exhausted_is_failed_and_says_to_raise_the_budget()
    {
        var verdict = Classify(BudgetExhausted, 1);
        Assert.Equal(ClaudeTaskState.Failed, verdict.State);
        Assert.Contains("Reached maximum budget", verdict.Error);
        Assert.DoesNotContain("MaxBudgetUsd", verdict.Error);
    }

    [Fact]
    public void Budget_exhausted_without_errors_still_names_the_budget()
    {
        var verdict = Classify(BudgetExhausted with { Errors = [] }, 1);
        Assert.Equal(ClaudeTaskState.Failed, verdict.State);
        Assert.Contains("maximum budget", verdict.Error);
    }

    [Fact]
    public void Api_timeout_without_status_is_failed_with_the_cli_text()
    {
        var timeout = new ResultEvent
        {
            Subtype = "success",
            IsError = true,
            ApiErrorStatus = null,
            Result = "API Error: Request timed out.",
        };
        var verdict = Classify(timeout, 1);
        Assert.Equal(ClaudeTaskState.Failed, verdict.State);
        Assert.Contains("Request timed out", verdict.Error);
        Assert.DoesNotContain("HTTP", verdict.Error);
    }

    [Fact]
    public void Error_result_without_any_text_still_gives_a_reason()
    {
        var verdict = Classify(new ResultEvent { Subtype = "error_during_execution", IsError = true }, 0);
        Assert.Equal(ClaudeTaskState.Failed, verdict.State);
        Assert.False(string.IsNullOrWhiteSpace(verdict.Error));
        Assert.Contains("error_during_execution", verdict.Error);
    }

    [Fact]
    public void Sigint_error_result_with_exit_zero_is_failed()
    {
        var aborted = new ResultEvent { Subtype = "error_during_execution", IsError = true, TerminalReason = "aborted_tools" };
        Assert.Equal(ClaudeTaskState.Failed, Classify(aborted, 0).State);
    }

    [Fact]
    public void No_result_with_exit_zero_is_failed_never_completed()
    {
        var verdict = Classify(null, 0);
        Assert.Equal(ClaudeTaskState.Failed, verdict.State);
        Assert.Contains("exit", verdict.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("code 0", verdict.Error);
        Assert.Contains("without a result", verdict.Error);
    }

    [Fact]
    public void No_result_with_exit_one_gives_the_last_stderr_line()
    {
        const string stderr = "Loading config...\nChecking auth...\nError: Invalid API key · Please run /login\n";
        var verdict = Classify(null, 1, stderr: stderr);
        Assert.Equal(ClaudeTaskState.Failed, verdict.State);
        Assert.Contains("code 1", verdict.Error);
        Assert.Contains("Error: Invalid API key · Please run /login", verdict.Error);
    }

    [Fact]
    public void No_result_with_a_long_stderr_keeps_its_end()
    {
        var stderr = string.Join("\n", Enumerable.Range(1, 50).Select(i => $"noise line {i}")) + "\nfatal: the real reason\n\n";
        var verdict = Classify(null, 1, stderr: stderr);
        Assert.Contains("fatal: the real reason", verdict.Error);
        Assert.DoesNotContain("noise line 1 ", verdict.Error);
    }

    [Fact]
    public void No_result_with_huge_stderr_gives_a_bounded_reason_with_the_end()
    {
        var stderr = new string('e', 5000) + " final words";
        var verdict = Classify(null, 1, stderr: stderr);
        Assert.Contains("final words", verdict.Error);
        Assert.True(verdict.Error!.Length < 1000, $"reason is {verdict.Error.Length} characters");
    }

    [Fact]
    public void No_result_and_empty_stderr_still_gives_a_reason()
    {
        var verdict = Classify(null, 1, stderr: "\n  \n");
        Assert.Equal(ClaudeTaskState.Failed, verdict.State);
        Assert.Contains("code 1", verdict.Error);
        Assert.DoesNotContain("It said", verdict.Error);
    }

    [UnixFact]
    public void Exit_137_without_result_names_SIGKILL()
    {
        var verdict = Classify(null, 137);
        Assert.Equal(ClaudeTaskState.Failed, verdict.State);
        Assert.Contains("SIGKILL", verdict.Error);
    }

    [UnixFact]
    public void Exit_143_without_result_names_SIGTERM()
    {
        var verdict = Classify(null, 143, stderr: "bye\n");
        Assert.Equal(ClaudeTaskState.Failed, verdict.State);
        Assert.Contains("SIGTERM", verdict.Error);
        Assert.Contains("bye", verdict.Error);
    }

    [Fact]
    public void Unknown_exit_state_without_result_is_failed()
    {
        var verdict = Classify(null, null, stderr: "segfault somewhere");
        Assert.Equal(ClaudeTaskState.Failed, verdict.State);
        Assert.Contains("without a result", verdict.Error);
        Assert.Contains("segfault somewhere", verdict.Error);
    }

    [Theory]
    [InlineData(143)]
    [InlineData(137)]
    [InlineData(0)]
    public void Cancelled_without_result_is_cancelled(int exit)
    {
        var verdict = Classify(null, exit, ClaudeStopReason.Cancelled);
        Assert.Equal(ClaudeTaskState.Cancelled, verdict.State);
        Assert.Contains("stopped", verdict.Error);
    }

    [Fact]
    public void Cancelled_with_an_aborted_error_result_is_cancelled()
    {
        var aborted = new ResultEvent { Subtype = "error_during_execution", IsError = true, TerminalReason = "aborted_tools" };
        Assert.Equal(ClaudeTaskState.Cancelled, Classify(aborted, 0, ClaudeStopReason.Cancelled).State);
    }

    [Fact]
    public void Timed_out_is_timed_out_and_mentions_the_timeout_seconds()
    {
        var verdict = Classify(null, 143, ClaudeStopReason.TimedOut, TimeSpan.FromSeconds(30));
        Assert.Equal(ClaudeTaskState.TimedOut, verdict.State);
        Assert.Contains("30 s", verdict.Error);
        Assert.Contains("timeout", verdict.Error);
    }

    [Fact]
    public void Timed_out_with_fractional_seconds_uses_a_decimal_point()
    {
        var verdict = Classify(null, 137, ClaudeStopReason.TimedOut, TimeSpan.FromMilliseconds(1500));
        Assert.Equal(ClaudeTaskState.TimedOut, verdict.State);
        Assert.Contains("1.5 s", verdict.Error);
    }

    [Fact]
    public void Timed_out_without_a_known_limit_still_says_timeout()
    {
        var verdict = Classify(null, null, ClaudeStopReason.TimedOut, null);
        Assert.Equal(ClaudeTaskState.TimedOut, verdict.State);
        Assert.Contains("timeout", verdict.Error);
    }

    [Fact]
    public void Lingered_after_an_error_result_is_failed_with_the_result_reason()
    {
        var verdict = Classify(ApiError500, 143, ClaudeStopReason.LingeredAfterResult);
        Assert.Equal(ClaudeTaskState.Failed, verdict.State);
        Assert.Contains("500", verdict.Error);
    }

    [Fact]
    public void Only_a_non_error_result_is_ever_completed()
    {
        ResultEvent?[] results = [null, ApiError500, MaxTurns, BudgetExhausted, new ResultEvent { IsError = true }];
        foreach (var result in results)
        foreach (var stop in Enum.GetValues<ClaudeStopReason>())
        foreach (int? exit in new int?[] { 0, 1, 137, 143, null })
        {
            var verdict = Classify(result, exit, stop, TimeSpan.FromSeconds(1), "x");
            Assert.NotEqual(ClaudeTaskState.Completed, verdict.State);
            Assert.False(string.IsNullOrWhiteSpace(verdict.Error));
        }
    }

    [Theory]
    [InlineData("error_max_turns", ClaudeTaskState.Failed, ClaudeHint.RaiseMaxTurns)]
    [InlineData("error_max_budget_usd", ClaudeTaskState.Failed, ClaudeHint.RaiseMaxBudget)]
    [InlineData("error_during_execution", ClaudeTaskState.Failed, ClaudeHint.None)]
    [InlineData("error_max_turns", ClaudeTaskState.Cancelled, ClaudeHint.None)]
    [InlineData(null, ClaudeTaskState.Failed, ClaudeHint.None)]
    public void A_finished_record_carries_the_remedy_its_doors_word(string? subtype, ClaudeTaskState state, ClaudeHint hint)
    {
        var record = new ClaudeTaskRecord { Id = "abcdefgh", PromptPreview = "p", WorkingDirectory = "/", State = state, ResultSubtype = subtype };
        Assert.Equal(hint, record.Hint);
    }
}
