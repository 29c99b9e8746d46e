namespace ClaudeCodeMcp.Engine;

/// <summary>What a running child is doing now, from its assistant and user events.</summary>
public sealed record ClaudeTaskActivity
{
    /// <summary>Assistant messages seen so far.</summary>
    public int Turns { get; init; }

    /// <summary>The tool the child is running now, or null between tools.</summary>
    public string? CurrentTool { get; init; }

    /// <summary>The start of the last assistant text.</summary>
    public string? LastText { get; init; }

    public DateTimeOffset? LastEventAt { get; init; }

    /// <summary>Why a queued task has not started although its throttle has room (a store-wide slot).</summary>
    public string? Waiting { get; init; }

    /// <summary>One line for a person: <c>turn 3, running Bash</c>.</summary>
    public string Describe()
    {
        if (Waiting is not null) return Waiting;
        var turn = Turns == 1 ? "turn 1" : $"turn {Turns}";
        if (CurrentTool is not null) return $"{turn}, running {CurrentTool}";
        if (LastText is not null) return $"{turn}: {LastText}";
        return Turns == 0 ? "starting" : turn;
    }
}
