using System.Text.Json;

namespace ClaudeCodeMcp.Engine.Options;

/// <summary>
/// JSON that a task option carries as text (a schema, subagents, settings). It is parsed here before anything starts,
/// so a slip in a brace is a refusal naming the option, never a paid child that dies on it; and it travels compact,
/// one line, so an indented schema costs no bytes of the command line's per-argument limit.
/// </summary>
public static class JsonText
{
    /// <summary>The text as compact JSON when it is one JSON object; null with <paramref name="problem"/> saying why when it is not.</summary>
    public static string? CompactObject(string text, out string? problem)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 256 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = $"it is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object";
                return null;
            }
            problem = null;
            return Compact(document.RootElement);
        }
        catch (JsonException e)
        {
            problem = $"it is not valid JSON ({e.Message})";
            return null;
        }
    }

    /// <summary>An element as compact JSON text.</summary>
    public static string Compact(JsonElement element)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            element.WriteTo(json);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
