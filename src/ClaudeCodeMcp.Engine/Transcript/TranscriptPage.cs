namespace ClaudeCodeMcp.Engine.Transcript;

/// <summary>A page of a task's readable transcript; <see cref="NextOffset"/> is null at the end.</summary>
public sealed record TranscriptPage(string Text, long Offset, long? NextOffset);
