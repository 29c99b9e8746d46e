using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace ClaudeCodeMcp.Engine.Options;

/// <summary>
/// JSON to and from plain .NET values (ordered string-keyed dictionaries, lists, strings, numbers, booleans, null). The
/// PowerShell door turns these into and out of its own objects: it must not touch System.Text.Json itself, whose version
/// in pwsh differs from the engine's, so the engine does the JSON on its side of the load context.
/// </summary>
public static class JsonPlain
{
    /// <summary>A JSON text as plain values: objects become <see cref="List{T}"/>s of name and value pairs, in their order.</summary>
    public static object? Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ToPlain(document.RootElement);
    }

    /// <summary>
    /// A plain value as compact JSON: a dictionary is an object (keys as text), any other enumerable but a string an
    /// array, a number a number, a boolean a boolean; anything else is written as its text.
    /// </summary>
    public static string Write(object? value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            Write(json, value, depth: 0);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static object? ToPlain(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, ToPlain(p.Value))).ToList(),
        JsonValueKind.Array => element.EnumerateArray().Select(ToPlain).ToArray(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? (object)whole : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static void Write(Utf8JsonWriter json, object? value, int depth)
    {
        if (depth > 64) throw new ArgumentException("The value nests more than 64 levels deep, too deep for JSON here.");
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal:
                json.WriteRawValue(Convert.ToString(value, CultureInfo.InvariantCulture)!);
                break;
            case IDictionary dictionary:
                json.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    json.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                    Write(json, entry.Value, depth + 1);
                }
                json.WriteEndObject();
                break;
            case IEnumerable<KeyValuePair<string, object?>> members:
                json.WriteStartObject();
                foreach (var (name, member) in members)
                {
                    json.WritePropertyName(name);
                    Write(json, member, depth + 1);
                }
                json.WriteEndObject();
                break;
            case IEnumerable items:
                json.WriteStartArray();
                foreach (var item in items) Write(json, item, depth + 1);
                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
