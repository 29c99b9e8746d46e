using System.Text;
using System.Text.Json;

namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>
/// Parses one stream-json line with a forward-only reader, never a document: the one parser of every
/// event shape, for the live run, the events read back from the log and transcripts. Tolerant by design:
/// unknown types and fields, any key order, wrong member types and non-JSON lines never throw; they give
/// <see cref="UnknownEvent"/> or null members.
/// </summary>
public static class StreamEventParser
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 256 };

    /// <summary>One line as the engine reads it live.</summary>
    public static StreamEvent Parse(ReadOnlyMemory<byte> line) => Parse(line, EventDetail.Live);

    internal static StreamEvent Parse(ReadOnlyMemory<byte> line, EventDetail detail)
    {
        var span = WithValidUtf8(line).Span;
        try
        {
            return Type(span) switch
            {
                null => new UnknownEvent(null),
                "system" => (StreamEvent?)InitEvent.Read(span) ?? (StreamEvent?)ApiRetryEvent.Read(span) ?? new UnknownEvent("system"),
                "assistant" => AssistantEvent.Read(span, detail),
                "user" => ToolResultEvent.Read(span, detail),
                "result" => ResultEvent.Read(span),
                var other => new UnknownEvent(other),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return new UnknownEvent(null); // malformed, cut, or nested too deep
        }
    }

    /// <summary>Invalid UTF-8 (a tool's binary output cut mid-character) becomes U+FFFD instead of failing the line.</summary>
    private static ReadOnlyMemory<byte> WithValidUtf8(ReadOnlyMemory<byte> line) =>
        System.Text.Unicode.Utf8.IsValid(line.Span) ? line : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(line.Span));

    /// <summary>
    /// The top-level <c>type</c>, or null when the line is not a JSON object. Stops at a type the engine reads:
    /// its reader goes through the whole line (and refuses a malformed one), so the line is tokenized once more,
    /// not twice. A line of another type is read to its end here, so a malformed one is refused all the same.
    /// </summary>
    private static string? Type(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, Options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        string? type = null;
        while (EventJson.NextMember(ref reader))
        {
            var isType = reader.ValueTextEquals("type"u8);
            reader.Read();
            if (isType && reader.TokenType == JsonTokenType.String)
            {
                if (reader.ValueTextEquals("assistant"u8)) return "assistant";
                if (reader.ValueTextEquals("user"u8)) return "user";
                if (reader.ValueTextEquals("result"u8)) return "result";
                if (reader.ValueTextEquals("system"u8)) return "system";
                type = EventJson.Decode(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
        EventJson.End(ref reader);
        return type;
    }
}
