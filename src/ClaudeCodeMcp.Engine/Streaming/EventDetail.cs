namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>
/// How much of a message a reader keeps. The live run (and the events read back from the log) keep previews
/// and names; a transcript also keeps every block whole. Both go through the same readers, so they agree.
/// </summary>
internal enum EventDetail
{
    /// <summary>Texts as previews (<see cref="AssistantEvent.TextPreviewChars"/>), tool names, result counts; no blocks.</summary>
    Live,

    /// <summary>As <see cref="Live"/>, plus <see cref="AssistantEvent.Blocks"/> and <see cref="ToolResultEvent.Blocks"/>.</summary>
    Transcript,
}
