namespace ClaudeCodeMcp.Engine;

/// <summary>
/// An engine error: its message says what went wrong and, where the remedy is no door's setting, what to do; a
/// remedy that is a door's setting or verb is its <see cref="Hint"/>.
/// </summary>
public sealed class ClaudeTaskException : Exception
{
    public ClaudeTaskException(ClaudeErrorCode code, string message, Exception? inner = null)
        : base(message, inner) => Code = code;

    public ClaudeErrorCode Code { get; }

    /// <summary>What the user can do about it, worded by each door (<see cref="ClaudeHintWords"/>).</summary>
    public ClaudeHint Hint { get; init; }

    /// <summary>The task the error is about, when there is one.</summary>
    public string? TaskId { get; init; }
}
