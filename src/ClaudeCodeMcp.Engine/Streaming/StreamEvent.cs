namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>The stream-json events the engine understands; anything else is <see cref="UnknownEvent"/>.</summary>
public abstract record StreamEvent;

/// <summary><c>system/init</c>: always first.</summary>
public sealed record InitEvent(string? SessionId, string? Model, string? Cwd, string? PermissionMode) : StreamEvent;

/// <summary>
/// An assistant message (in 2.1.331, one line per content block). Texts are previews: each is cut to its
/// first 2,000 characters (the whole stream is in the task's log).
/// </summary>
public sealed record AssistantEvent(string? MessageId, IReadOnlyList<string> Texts, IReadOnlyList<string> ToolNames, bool InSubagent) : StreamEvent;

/// <summary>A user message carrying tool results.</summary>
public sealed record ToolResultEvent(int Count, bool AnyError) : StreamEvent;

/// <summary>The final <c>result</c> event.</summary>
public sealed record ResultEvent : StreamEvent
{
    public string? Subtype { get; init; }
    public bool IsError { get; init; }
    public string? Result { get; init; }
    public string? SessionId { get; init; }
    public int? NumTurns { get; init; }
    public long? DurationMs { get; init; }
    public double? CostUsd { get; init; }
    public int? ApiErrorStatus { get; init; }
    public string? TerminalReason { get; init; }
    public IReadOnlyList<string> Errors { get; init; } = [];
    public IReadOnlyList<ClaudePermissionDenial> PermissionDenials { get; init; } = [];
}

/// <summary>A line of another type, or one that is not a JSON object.</summary>
public sealed record UnknownEvent(string? Type) : StreamEvent;
