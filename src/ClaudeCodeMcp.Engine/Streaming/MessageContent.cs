using System.Text;
using System.Text.Json;

namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>
/// Reads a message's <c>content</c> array, for assistant and user events alike. Blocks may list their members
/// in any order; blocks that are not objects, and types the engine does not know, are skipped.
/// </summary>
internal struct MessageContent(EventDetail detail, bool texts, bool toolNames)
{
    public List<string>? Texts = texts ? new List<string>(1) : null;
    public List<string>? ToolNames = toolNames ? new List<string>(1) : null;
    public List<ContentBlock>? Blocks = detail == EventDetail.Transcript ? new List<ContentBlock>(1) : null;
    public int ToolResults;
    public bool AnyToolError;

    /// <summary>Reads the value of the current <c>content</c> member (the reader is on its name).</summary>
    public void Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> line)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.StartObject) ReadBlock(ref reader, line);
            else reader.Skip();
        }
    }

    private void ReadBlock(ref Utf8JsonReader reader, ReadOnlySpan<byte> line)
    {
        var whole = Blocks is not null;
        string? type = null, text = null, name = null, input = null, resultText = null;
        var isError = false;
        while (EventJson.NextMember(ref reader))
        {
            if (reader.ValueTextEquals("type"u8)) type = EventJson.String(ref reader);
            else if (reader.ValueTextEquals("text"u8) && (whole || Texts is not null)) text = Text(ref reader, whole);
            else if (reader.ValueTextEquals("name"u8) && (whole || ToolNames is not null)) name = EventJson.String(ref reader);
            else if (reader.ValueTextEquals("is_error"u8)) isError = EventJson.True(ref reader);
            else if (whole && reader.ValueTextEquals("input"u8))
            {
                reader.Read();
                input = EventJson.Raw(ref reader, line);
            }
            else if (whole && reader.ValueTextEquals("content"u8)) resultText = ToolResultText(ref reader, line);
            else EventJson.SkipValue(ref reader);
        }
        switch (type)
        {
            case "text" when text is not null:
                Texts?.Add(whole ? EventJson.Cut(text, AssistantEvent.TextPreviewChars) : text);
                Blocks?.Add(new TextBlock(text));
                break;
            case "tool_use":
                if (name is not null) ToolNames?.Add(name);
                Blocks?.Add(new ToolUseBlock(name, input));
                break;
            case "tool_result":
                ToolResults++;
                AnyToolError |= isError;
                Blocks?.Add(new ToolResultBlock(isError, resultText ?? ""));
                break;
        }
    }

    /// <summary>A text block's text: whole for a transcript, else its preview.</summary>
    private static string? Text(ref Utf8JsonReader reader, bool whole)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }
        return whole ? EventJson.Decode(ref reader) : EventJson.Preview(ref reader, AssistantEvent.TextPreviewChars);
    }

    /// <summary>A tool result's <c>content</c>: a string, or the text parts of an array joined by new lines, or other JSON as written.</summary>
    private static string ToolResultText(ref Utf8JsonReader reader, ReadOnlySpan<byte> line)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String) return EventJson.Decode(ref reader);
        if (reader.TokenType != JsonTokenType.StartArray) return EventJson.Raw(ref reader, line);
        var joined = new StringBuilder();
        var first = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            string? type = null, text = null;
            while (EventJson.NextMember(ref reader))
            {
                if (reader.ValueTextEquals("type"u8)) type = EventJson.String(ref reader);
                else if (reader.ValueTextEquals("text"u8)) text = EventJson.String(ref reader);
                else EventJson.SkipValue(ref reader);
            }
            if (type != "text") continue;
            if (!first) joined.Append('\n');
            joined.Append(text);
            first = false;
        }
        return joined.ToString();
    }
}
