using System.Text.Json;

namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>A user message carrying tool results: how many, and whether any is an error.</summary>
public sealed record ToolResultEvent(int Count, bool AnyError) : StreamEvent
{
    /// <summary>The message's blocks in order, whole (tool results with their text); read for transcripts only, otherwise empty.</summary>
    public IReadOnlyList<ContentBlock> Blocks { get; init; } = [];

    /// <summary>A <c>user</c> line.</summary>
    internal static ToolResultEvent Read(ReadOnlySpan<byte> line, EventDetail detail)
    {
        var reader = EventJson.Open(line);
        var content = new MessageContent(detail, texts: false, toolNames: false);
        while (EventJson.NextMember(ref reader))
        {
            if (!reader.ValueTextEquals("message"u8))
            {
                EventJson.SkipValue(ref reader);
                continue;
            }
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            while (EventJson.NextMember(ref reader))
            {
                if (reader.ValueTextEquals("content"u8)) content.Read(ref reader, line);
                else EventJson.SkipValue(ref reader);
            }
        }
        EventJson.End(ref reader);
        return new ToolResultEvent(content.ToolResults, content.AnyToolError) { Blocks = content.Blocks };
    }
}
