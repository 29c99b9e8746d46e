using System.Globalization;
using System.Text.RegularExpressions;
using ClaudeCodeMcp.Engine.Streaming;

namespace ClaudeCodeMcp.Engine.Retries;

/// <summary>
/// A run that ended on something a later run can get past: a rate limit (HTTP 429, a usage limit), an overload (529) or
/// a server error (5xx). <see cref="Classify"/> decides from what the child printed; anything else (401, any other 4xx,
/// a max-turns or budget end, a stop, a failure of the task itself) is never retried.
/// </summary>
/// <param name="Status">The HTTP status the API answered, when the CLI said.</param>
/// <param name="Reason">In words: <c>the Claude API answered HTTP 429 (rate limit)</c>.</param>
/// <param name="ResetsAt">When a usage limit resets, when the CLI said.</param>
internal sealed partial record RetryableEnd(int? Status, string Reason, DateTimeOffset? ResetsAt = null)
{
    /// <summary>
    /// The retryable end of a run, or null. Measured with 2.1.331: an API error that outlasts the CLI's own retries ends
    /// with a result line whose <c>is_error</c> is true, <c>terminal_reason</c> <c>api_error</c> and
    /// <c>api_error_status</c> the last answer's status (429, 529, 500, 401…). A usage limit is said in the result text
    /// (or, in some versions, as plain text with no result line).
    /// </summary>
    public static RetryableEnd? Classify(ClaudeTaskState verdict, ClaudeStopReason stop, ResultEvent? result, string plainOutput)
    {
        if (verdict != ClaudeTaskState.Failed || stop != ClaudeStopReason.None) return null;
        if (result is null) return UsageLimit(plainOutput);
        if (!result.IsError || result.Subtype is "error_max_turns" or "error_max_budget_usd") return null;
        var text = result.Result ?? string.Join("; ", result.Errors);
        return result.ApiErrorStatus switch
        {
            429 => new RetryableEnd(429, "the Claude API answered HTTP 429 (rate limit)", ResetTime(text)),
            529 => new RetryableEnd(529, "the Claude API answered HTTP 529 (overloaded)"),
            >= 500 and <= 599 and var status => new RetryableEnd(status, $"the Claude API answered HTTP {status.ToString(CultureInfo.InvariantCulture)} (server error)"),
            null => UsageLimit(text),
            _ => null,
        };
    }

    private static RetryableEnd? UsageLimit(string text) =>
        UsageLimitText().IsMatch(text) ? new RetryableEnd(null, "Claude's usage limit was reached", ResetTime(text)) : null;

    /// <summary>The reset time a usage-limit message carries as <c>…limit reached|&lt;unix seconds&gt;</c>, if any.</summary>
    private static DateTimeOffset? ResetTime(string text)
    {
        var match = ResetSuffix().Match(text);
        return match.Success && long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
    }

    [GeneratedRegex(@"usage limit (reached|exceeded)|hit your (usage )?limit", RegexOptions.IgnoreCase)]
    private static partial Regex UsageLimitText();

    [GeneratedRegex(@"limit[^|\n]{0,40}\|(\d{9,11})\b", RegexOptions.IgnoreCase)]
    private static partial Regex ResetSuffix();
}
