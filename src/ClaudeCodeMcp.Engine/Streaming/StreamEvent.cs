namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>
/// The stream-json events the engine understands, a closed set: <see cref="InitEvent"/>, <see cref="AssistantEvent"/>,
/// <see cref="ToolResultEvent"/>, <see cref="ApiRetryEvent"/>, <see cref="ResultEvent"/>; anything else is <see cref="UnknownEvent"/>,
/// and a line too long to read, in a saved log, is <see cref="OversizeLineEvent"/>. Each is read
/// beside its record, by <see cref="StreamEventParser"/>, for the live run, the events read back and transcripts alike.
/// </summary>
public abstract record StreamEvent;
