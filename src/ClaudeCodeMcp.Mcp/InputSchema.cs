using System.Text.Json;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// A tool's input schema, written from its parameters, and the check of a call against them. An optional parameter
/// is simply left out of <c>required</c> and described by its own type (<c>"string"</c>, not <c>["string","null"]</c>),
/// the most portable form for clients that map schemas onto other dialects.
/// </summary>
internal static class InputSchema
{
    public static JsonElement Of(IReadOnlyList<ToolParameter> parameters)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "object");
            json.WriteStartObject("properties");
            foreach (var parameter in parameters) parameter.WriteSchema(json);
            json.WriteEndObject();
            var required = parameters.Where(p => p.Required).ToList();
            if (required.Count > 0)
            {
                json.WriteStartArray("required");
                foreach (var parameter in required) json.WriteStringValue(parameter.Name);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// What is wrong with a call's arguments, naming the argument ("max_turns must be an integer, not a string"), or
    /// null. Null means "not given"; arguments the tool does not declare are ignored, as the seed did.
    /// </summary>
    public static string? Problem(IReadOnlyList<ToolParameter> parameters, IReadOnlyDictionary<string, JsonElement>? arguments)
    {
        foreach (var parameter in parameters.Where(p => p.Required))
        {
            if (arguments is null || !arguments.TryGetValue(parameter.Name, out var value) || value.ValueKind == JsonValueKind.Null)
                return $"{parameter.Name} is required.";
        }
        if (arguments is null) return null;
        foreach (var (name, value) in arguments)
        {
            if (value.ValueKind == JsonValueKind.Null) continue;
            if (parameters.FirstOrDefault(p => p.Name == name)?.Problem(value) is { } problem) return problem;
        }
        return null;
    }
}
