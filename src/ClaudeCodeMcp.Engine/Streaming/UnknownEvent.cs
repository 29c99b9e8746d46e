namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>
/// A line of another type (<see cref="Type"/>), or one that is not a JSON object (<see cref="Type"/> null): a
/// malformed or cut line, or plain text such as an error the CLI printed.
/// </summary>
public sealed record UnknownEvent(string? Type) : StreamEvent;
