using System.Text.Json;

namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>
/// An assistant message (in 2.1.331, one line per content block). Texts are previews: each is cut to its
/// first <see cref="TextPreviewChars"/> characters (<c>EventJson.Cut</c>: an emoji is never cut in half); the whole
/// stream is in the task's log, and a transcript shows the texts whole.
/// </summary>
public sealed record AssistantEvent(string? MessageId, IReadOnlyList<string> Texts, IReadOnlyList<string> ToolNames, bool InSubagent) : StreamEvent
{
    /// <summary>Texts are kept to this many characters: the engine needs only a preview.</summary>
    public const int TextPreviewChars = 2000;

    /// <summary>The message's text, tool_use and tool_result blocks in order, whole; read for transcripts only, otherwise empty.</summary>
    public IReadOnlyList<ContentBlock> Blocks { get; init; } = [];

    internal static AssistantEvent Read(ReadOnlySpan<byte> line, EventDetail detail)
    {
        var reader = EventJson.Open(line);
        string? messageId = null;
        var inSubagent = false;
        var content = new MessageContent(detail, texts: true, toolNames: true);
        while (EventJson.NextMember(ref reader))
        {
            if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                while (EventJson.NextMember(ref reader))
                {
                    if (reader.ValueTextEquals("id"u8)) messageId = EventJson.String(ref reader);
                    else if (reader.ValueTextEquals("content"u8)) content.Read(ref reader, line);
                    else EventJson.SkipValue(ref reader);
                }
            }
            else if (reader.ValueTextEquals("parent_tool_use_id"u8)) inSubagent = EventJson.IsString(ref reader);
            else EventJson.SkipValue(ref reader);
        }
        EventJson.End(ref reader);
        return new AssistantEvent(messageId, content.Texts, content.ToolNames, inSubagent) { Blocks = content.Blocks };
    }
}
