using System.Buffers;
using System.Text;
using System.Text.Json;

namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>
/// The hot path of <see cref="StreamEventParser"/>: reads the frequent events (assistant and user
/// messages, and types the engine ignores) with a forward-only reader, without building a document or
/// decoding long texts in full. Anything unusual is left to the tolerant document parser.
/// </summary>
internal static class FastEventReader
{
    /// <summary>Texts are kept to this many characters: the engine needs only a preview.</summary>
    public const int TextPreviewChars = 2000;

    private static readonly JsonReaderOptions Options = new() { MaxDepth = 256 };

    /// <summary>True when the line was read here; false to let the document parser decide.</summary>
    public static bool TryRead(ReadOnlySpan<byte> line, out StreamEvent result)
    {
        result = null!;
        try
        {
            var type = TopLevelType(line);
            switch (type)
            {
                case null or "system" or "result":
                    return false;
                case "assistant":
                    result = ReadAssistant(line);
                    return true;
                case "user":
                    result = ReadUser(line);
                    return true;
                default:
                    result = new UnknownEvent(type);
                    return true;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    private static string? TopLevelType(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, Options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        string? type = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            reader.Read();
            if (isType && reader.TokenType == JsonTokenType.String)
            {
                // Their readers go through the whole line (and refuse a malformed one): no need to read it twice.
                if (reader.ValueTextEquals("assistant"u8)) return "assistant";
                if (reader.ValueTextEquals("user"u8)) return "user";
                type = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }
        return type;
    }

    private static AssistantEvent ReadAssistant(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, Options);
        reader.Read();
        string? messageId = null;
        var inSubagent = false;
        var texts = new List<string>(1);
        var tools = new List<string>(1);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("id"u8))
                    {
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.String) messageId = reader.GetString();
                        else reader.Skip();
                    }
                    else if (reader.ValueTextEquals("content"u8))
                    {
                        reader.Read();
                        ReadBlocks(ref reader, texts, tools, null);
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
            else if (reader.ValueTextEquals("parent_tool_use_id"u8))
            {
                reader.Read();
                inSubagent = reader.TokenType == JsonTokenType.String;
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return new AssistantEvent(messageId, texts, tools, inSubagent);
    }

    private static ToolResultEvent ReadUser(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, Options);
        reader.Read();
        var results = new ToolResultCount();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMessage = reader.ValueTextEquals("message"u8);
            reader.Read();
            if (!isMessage || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isContent = reader.ValueTextEquals("content"u8);
                reader.Read();
                if (isContent) ReadBlocks(ref reader, null, null, results);
                else reader.Skip();
            }
        }
        return new ToolResultEvent(results.Count, results.AnyError);
    }

    private sealed class ToolResultCount
    {
        public int Count;
        public bool AnyError;
    }

    /// <summary>Reads a content array (the reader is on its first token); blocks may list their members in any order.</summary>
    private static void ReadBlocks(ref Utf8JsonReader reader, List<string>? texts, List<string>? tools, ToolResultCount? results)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            string? type = null, text = null, name = null;
            var isError = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    type = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("text"u8) && texts is not null)
                {
                    reader.Read();
                    text = reader.TokenType == JsonTokenType.String ? Preview(ref reader) : null;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("name"u8) && tools is not null)
                {
                    reader.Read();
                    name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("is_error"u8))
                {
                    reader.Read();
                    isError = reader.TokenType == JsonTokenType.True;
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            switch (type)
            {
                case "text" when text is not null:
                    texts?.Add(text);
                    break;
                case "tool_use" when name is not null:
                    tools?.Add(name);
                    break;
                case "tool_result" when results is not null:
                    results.Count++;
                    results.AnyError |= isError;
                    break;
            }
        }
    }

    /// <summary>The start of a string value, decoding no more than the preview needs.</summary>
    private static string Preview(ref Utf8JsonReader reader)
    {
        var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        if (!reader.ValueIsEscaped)
        {
            // Plain UTF-8: cut at a character boundary, at most 4 bytes a character.
            var take = Math.Min(raw.Length, TextPreviewChars * 4);
            while (take < raw.Length && take > 0 && (raw[take] & 0xC0) == 0x80) take--;
            var text = Encoding.UTF8.GetString(raw[..take]);
            return text.Length > TextPreviewChars ? text[..TextPreviewChars] : text;
        }
        if (raw.Length <= TextPreviewChars * 6) return Cut(reader.GetString()!);
        var buffer = ArrayPool<char>.Shared.Rent(raw.Length);
        try
        {
            var written = reader.CopyString(buffer);
            return new string(buffer, 0, Math.Min(written, TextPreviewChars));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static string Cut(string text) => text.Length > TextPreviewChars ? text[..TextPreviewChars] : text;
}
