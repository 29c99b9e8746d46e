namespace ClaudeCodeMcp.Engine;

/// <summary>The life of a task. Only <see cref="Completed"/> means the child printed a successful result.</summary>
public enum ClaudeTaskState
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
    TimedOut,
}

public static class ClaudeTaskStateExtensions
{
    /// <summary>True once the task has ended, whatever the outcome.</summary>
    public static bool IsFinished(this ClaudeTaskState state) => state >= ClaudeTaskState.Completed;

    /// <summary>The snake_case name used in records, MCP tools and filters: <c>timed_out</c>.</summary>
    public static string ToWireName(this ClaudeTaskState state) => state switch
    {
        ClaudeTaskState.Queued => "queued",
        ClaudeTaskState.Running => "running",
        ClaudeTaskState.Completed => "completed",
        ClaudeTaskState.Failed => "failed",
        ClaudeTaskState.Cancelled => "cancelled",
        ClaudeTaskState.TimedOut => "timed_out",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    /// <summary>Parses a wire name (<c>timed_out</c>) or an enum name (<c>TimedOut</c>), ignoring case.</summary>
    public static bool TryParseWireName(string? text, out ClaudeTaskState state)
    {
        foreach (var candidate in Enum.GetValues<ClaudeTaskState>())
        {
            if (string.Equals(text, candidate.ToWireName(), StringComparison.OrdinalIgnoreCase)
                || string.Equals(text, candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                state = candidate;
                return true;
            }
        }
        state = default;
        return false;
    }
}
