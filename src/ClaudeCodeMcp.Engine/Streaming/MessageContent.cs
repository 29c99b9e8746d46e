using System.Text;
using System.Text.Json;

namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>
/// Reads a message's <c>content</c> array, for assistant and user events alike. Blocks may list their members
/// in any order; blocks that are not objects, and types the engine does not know, are skipped.
/// </summary>
internal struct MessageContent(EventDetail detail, bool texts, bool toolNames)
{
    private readonly bool _whole = detail == EventDetail.Transcript;
    private List<string>? _texts;
    private List<string>? _toolNames;
    private List<ContentBlock>? _blocks;

    /// <summary>Text previews (when asked for); lists are made on their first item, most messages have one block.</summary>
    public readonly IReadOnlyList<string> Texts => (IReadOnlyList<string>?)_texts ?? [];
    public readonly IReadOnlyList<string> ToolNames => (IReadOnlyList<string>?)_toolNames ?? [];

    /// <summary>The blocks whole, for <see cref="EventDetail.Transcript"/>; otherwise empty.</summary>
    public readonly IReadOnlyList<ContentBlock> Blocks => (IReadOnlyList<ContentBlock>?)_blocks ?? [];

    public int ToolResults { get; private set; }
    public bool AnyToolError { get; private set; }

    private enum BlockType { Other, Text, ToolUse, ToolResult }

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
        var type = BlockType.Other;
        string? text = null, name = null, input = null, resultText = null;
        var isError = false;
        while (EventJson.NextMember(ref reader))
        {
            if (reader.ValueTextEquals("type"u8)) type = ReadType(ref reader);
            else if (reader.ValueTextEquals("text"u8) && (_whole || texts)) text = Text(ref reader, _whole);
            else if (reader.ValueTextEquals("name"u8) && (_whole || toolNames)) name = EventJson.String(ref reader);
            else if (reader.ValueTextEquals("is_error"u8)) isError = EventJson.True(ref reader);
            else if (_whole && reader.ValueTextEquals("input"u8))
            {
                reader.Read();
                input = EventJson.Raw(ref reader, line);
            }
            else if (_whole && reader.ValueTextEquals("content"u8)) resultText = ToolResultText(ref reader, line);
            else EventJson.SkipValue(ref reader);
        }
        switch (type)
        {
            case BlockType.Text when text is not null:
                if (texts) (_texts ??= new List<string>(1)).Add(_whole ? EventJson.Cut(text, AssistantEvent.TextPreviewChars) : text);
                if (_whole) (_blocks ??= []).Add(new TextBlock(text));
                break;
            case BlockType.ToolUse:
                if (toolNames && name is not null) (_toolNames ??= new List<string>(1)).Add(name);
                if (_whole) (_blocks ??= []).Add(new ToolUseBlock(name, input));
                break;
            case BlockType.ToolResult:
                ToolResults++;
                AnyToolError |= isError;
                if (_whole) (_blocks ??= []).Add(new ToolResultBlock(isError, resultText ?? ""));
                break;
        }
    }

    /// <summary>A block's type, told apart without making a string of it.</summary>
    private static BlockType ReadType(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return BlockType.Other;
        }
        if (reader.ValueTextEquals("text"u8)) return BlockType.Text;
        if (reader.ValueTextEquals("tool_use"u8)) return BlockType.ToolUse;
        return reader.ValueTextEquals("tool_result"u8) ? BlockType.ToolResult : BlockType.Other;
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
