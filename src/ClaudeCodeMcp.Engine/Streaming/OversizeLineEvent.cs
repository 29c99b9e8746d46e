namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>
/// A line of the saved stream too long to read (over <see cref="Runs.ChildOutput.MaxLineBytes"/>): it stays in the
/// log, and readers are told it is there and how long it is (<see cref="Bytes"/>) instead of meeting a silent gap.
/// </summary>
public sealed record OversizeLineEvent(long Bytes) : StreamEvent;
