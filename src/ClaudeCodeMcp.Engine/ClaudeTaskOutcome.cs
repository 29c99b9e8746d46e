using System.Globalization;
using ClaudeCodeMcp.Engine.Processes;
using ClaudeCodeMcp.Engine.Streaming;

namespace ClaudeCodeMcp.Engine;

/// <summary>Why the engine itself ended a child, if it did.</summary>
public enum ClaudeStopReason
{
    None,
    Cancelled,
    TimedOut,
    /// <summary>The child printed its result but did not exit within the grace period.</summary>
    LingeredAfterResult,

    /// <summary>The child's output passed the stream log's limit (<see cref="ClaudeEngineOptions.MaxStreamLogBytes"/>).</summary>
    OutputLimit,
}

/// <summary>
/// Decides honestly how a run ended. The exit code is not enough: the CLI exits 1 with an error result for
/// API errors, 0 with no result in some crashes, 0 with an error result on SIGINT. Only a result event whose
/// <c>is_error</c> is false is <c>completed</c>.
/// </summary>
public static class ClaudeTaskOutcome
{
    public readonly record struct Verdict(ClaudeTaskState State, string? Error);

    /// <summary>
    /// The verdict of a run. With <paramref name="structuredOutputAsked"/> (the task gave a JSON schema), a success
    /// without <c>structured_output</c> did not give what was asked, so it is failed.
    /// </summary>
    public static Verdict Classify(ResultEvent? result, int? exitCode, ClaudeStopReason stop, TimeSpan? timeout, string stderrTail, string plainOutput = "",
        bool structuredOutputAsked = false)
    {
        if (result is { IsError: false, NumTurns: 0 })
        {
            return new Verdict(ClaudeTaskState.Failed,
                "Claude Code reported success without taking a single turn, so the task did not run (a known CLI fault, e.g. a failing skill or hook). Run it again.");
        }
        if (stop == ClaudeStopReason.OutputLimit)
            return new Verdict(ClaudeTaskState.Failed, "The child's output passed the limit of its stream log, so it was stopped (output limit).");
        if (result is { IsError: false, StructuredOutput: null } && structuredOutputAsked)
        {
            return new Verdict(ClaudeTaskState.Failed,
                "Claude Code finished without the structured output its JSON schema asked for; its answer, if any, is in the result. "
                + "Run it again, perhaps with a prompt that asks for the answer in that form, or a simpler schema.");
        }
        if (result is { IsError: false }) return new Verdict(ClaudeTaskState.Completed, null);
        switch (stop)
        {
            case ClaudeStopReason.Cancelled:
                return new Verdict(ClaudeTaskState.Cancelled, "The task was stopped before it finished.");
            case ClaudeStopReason.TimedOut:
                var limit = timeout is { } t ? $" of {Seconds(t)}" : "";
                return new Verdict(ClaudeTaskState.TimedOut, $"The task ran past its timeout{limit} and was stopped.");
        }
        if (result is not null) return new Verdict(ClaudeTaskState.Failed, DescribeErrorResult(result));
        return new Verdict(ClaudeTaskState.Failed, DescribeMissingResult(exitCode, (stderrTail + "\n" + plainOutput).Trim()));
    }

    /// <summary>The reason of a result whose is_error is true.</summary>
    public static string DescribeErrorResult(ResultEvent result)
    {
        var detail = FirstNonEmpty(result.Result, string.Join("; ", result.Errors));
        if (result.Subtype == "error_max_turns")
            return Sentence(FirstNonEmpty(detail, "Claude Code reached its maximum number of turns"));
        if (result.Subtype == "error_max_budget_usd")
            return Sentence(FirstNonEmpty(detail, "Claude Code reached its maximum budget"));
        if (result.ApiErrorStatus is { } status)
            return $"The Claude API answered HTTP {status.ToString(CultureInfo.InvariantCulture)}: {FirstNonEmpty(detail, "no details")}";
        var subtype = result.Subtype is null or "success" ? "" : $" ({result.Subtype})";
        return $"Claude Code reported an error{subtype}: {FirstNonEmpty(detail, "no details were given")}";
    }

    /// <summary>What the user can do about a task's end, from what is kept in its record.</summary>
    public static ClaudeHint HintFor(ClaudeTaskRecord record) => record.State != ClaudeTaskState.Failed ? ClaudeHint.None : record.ResultSubtype switch
    {
        "error_max_turns" => ClaudeHint.RaiseMaxTurns,
        "error_max_budget_usd" => ClaudeHint.RaiseMaxBudget,
        _ => ClaudeHint.None,
    };

    private static string DescribeMissingResult(int? exitCode, string stderrTail)
    {
        var stderr = LastLines(stderrTail);
        var said = stderr.Length > 0 ? $" It said: {stderr}" : "";
        if (stderr.Contains("root/sudo", StringComparison.Ordinal))
            said += " (Running as root: set IS_SANDBOX=1 in the environment if this is a sandbox, or run as another user.)";
        if (exitCode is null) return "Claude Code ended without a result." + said;
        var code = exitCode.Value;
        if (code > 128 && code < 160 && !OperatingSystem.IsWindows())
            return $"Claude Code was killed by {PosixSignals.Name(code - 128)} before it printed a result.{said}";
        return $"Claude Code exited with code {code.ToString(CultureInfo.InvariantCulture)} without a result.{said}";
    }

    private static string LastLines(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var tail = string.Join(" ", lines.TakeLast(3));
        return tail.Length > 600 ? "…" + tail[^600..] : tail;
    }

    private static string Sentence(string text) => text.TrimEnd().EndsWith('.') ? text.TrimEnd() : text.TrimEnd() + ".";

    private static string FirstNonEmpty(string? first, string second) => string.IsNullOrWhiteSpace(first) ? second : first;

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
