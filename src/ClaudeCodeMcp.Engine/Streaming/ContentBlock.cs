namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>
/// A block of a message's content, whole: what a transcript shows. Read only for transcripts; events read
/// live carry none (see <see cref="AssistantEvent.Blocks"/>).
/// </summary>
public abstract record ContentBlock;

/// <summary>A <c>text</c> block, its text whole.</summary>
public sealed record TextBlock(string Text) : ContentBlock;

/// <summary>A <c>tool_use</c> block: the tool's name and its input as JSON text (null when either is missing).</summary>
public sealed record ToolUseBlock(string? Name, string? Input) : ContentBlock;

/// <summary>A <c>tool_result</c> block: whether it is an error, and its text (text parts joined by new lines).</summary>
public sealed record ToolResultBlock(bool IsError, string Text) : ContentBlock;
