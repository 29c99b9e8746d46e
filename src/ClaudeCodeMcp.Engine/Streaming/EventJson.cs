using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>
/// The forward-only reading steps every event reader shares: one object's members, strings (damaged ones
/// repaired), previews that decode no more than they keep, raw JSON of a value, numbers in range.
/// Malformed JSON throws <see cref="JsonException"/>, which <see cref="StreamEventParser"/> turns into an unknown event.
/// </summary>
internal static partial class EventJson
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 256 };

    /// <summary>A reader on the line's top-level object; throws when the line is not one.</summary>
    public static Utf8JsonReader Open(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, Options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("Not a JSON object.");
        return reader;
    }

    /// <summary>Moves to the next member's name; false at the end of the object.</summary>
    public static bool NextMember(ref Utf8JsonReader reader) => reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    /// <summary>After the top-level object: throws when anything but white space follows it.</summary>
    public static void End(ref Utf8JsonReader reader)
    {
        if (reader.Read()) throw new JsonException("More than one JSON value on the line.");
    }

    /// <summary>Moves past the current member's value (the reader is on its name).</summary>
    public static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    /// <summary>The value of the current member (the reader is on its name) if it is a string, else null.</summary>
    public static string? String(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String) return Decode(ref reader);
        reader.Skip();
        return null;
    }

    /// <summary>Whether the current member's value is the literal true.</summary>
    public static bool True(ref Utf8JsonReader reader)
    {
        reader.Read();
        var isTrue = reader.TokenType == JsonTokenType.True;
        reader.Skip();
        return isTrue;
    }

    /// <summary>Whether the current member's value is a string (in any other case it is skipped).</summary>
    public static bool IsString(ref Utf8JsonReader reader)
    {
        reader.Read();
        var isString = reader.TokenType == JsonTokenType.String;
        reader.Skip();
        return isString;
    }

    public static int? Int32(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value)) return value;
        reader.Skip();
        return null;
    }

    public static long? Int64(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value)) return value;
        reader.Skip();
        return null;
    }

    public static double? Double(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var value)) return value;
        reader.Skip();
        return null;
    }

    /// <summary>The current value's JSON text as written (the reader is on its first token; it ends on its last).</summary>
    public static string Raw(ref Utf8JsonReader reader, ReadOnlySpan<byte> line)
    {
        var start = checked((int)reader.TokenStartIndex);
        reader.Skip();
        return Encoding.UTF8.GetString(line[start..checked((int)reader.BytesConsumed)]);
    }

    /// <summary>
    /// The current string token's text. JavaScript's JSON.stringify writes a string cut mid-emoji with a lone
    /// surrogate escape (<c>\ud83d</c>), which .NET refuses to decode; such halves become U+FFFD.
    /// </summary>
    public static string Decode(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped ? DecodeEscaped(ref reader) : reader.GetString()!; // the line is valid UTF-8: only escapes can fail

    private static string DecodeEscaped(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray();
            var repaired = LoneSurrogate().Replace("\"" + Encoding.UTF8.GetString(raw) + "\"", @"\ufffd");
            return JsonSerializer.Deserialize(repaired, StreamJsonText.Default.String) ?? "";
        }
    }

    /// <summary>The current string token's first <paramref name="maxChars"/> characters (<see cref="Cut"/>), decoding no more than that needs.</summary>
    public static string Preview(ref Utf8JsonReader reader, int maxChars)
    {
        var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        if (maxChars >= raw.Length) return Cut(Decode(ref reader), maxChars); // no string has more characters than bytes
        if (!reader.ValueIsEscaped)
        {
            // Plain UTF-8 (valid: the parser repaired the line): decode only what the preview keeps, and one more
            // character for the cutting rule; decoding stops before a surrogate pair that does not fit.
            Span<char> chars = maxChars < 4096 ? stackalloc char[maxChars + 1] : new char[maxChars + 1];
            System.Text.Unicode.Utf8.ToUtf16(raw, chars, out _, out var written);
            return Cut(new string(chars[..written]), maxChars);
        }
        if (raw.Length <= maxChars * 6L) return Cut(Decode(ref reader), maxChars);
        var buffer = ArrayPool<char>.Shared.Rent(raw.Length);
        try
        {
            return Cut(new string(buffer, 0, reader.CopyString(buffer)), maxChars);
        }
        catch (InvalidOperationException)
        {
            return Cut(Decode(ref reader), maxChars);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The cutting rule of every preview: the first <paramref name="maxChars"/> UTF-16 characters, one fewer when
    /// the last would be the first half of a surrogate pair (an emoji is kept whole or dropped whole).
    /// </summary>
    public static string Cut(string text, int maxChars)
    {
        if (text.Length <= maxChars) return text;
        var take = char.IsHighSurrogate(text[maxChars - 1]) && char.IsLowSurrogate(text[maxChars]) ? maxChars - 1 : maxChars;
        return text[..take];
    }

    [GeneratedRegex(@"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")]
    private static partial Regex LoneSurrogate();
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class StreamJsonText : System.Text.Json.Serialization.JsonSerializerContext;
