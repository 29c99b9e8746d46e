namespace ClaudeCodeMcp.Engine;

/// <summary>An engine error whose message says what went wrong and what to do about it.</summary>
public sealed class ClaudeTaskException : Exception
{
    public ClaudeTaskException(ClaudeErrorCode code, string message, Exception? inner = null)
        : base(message, inner) => Code = code;

    public ClaudeErrorCode Code { get; }

    /// <summary>The task the error is about, when there is one.</summary>
    public string? TaskId { get; init; }
}
