using System.Text.Json;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// Writes a tool's input schema from its parameters. An optional parameter is simply left out of
/// <c>required</c> and described by its own type (<c>"string"</c>, not <c>["string","null"]</c>), the most
/// portable form for clients that map schemas onto other dialects.
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
            foreach (var parameter in parameters)
            {
                json.WriteStartObject(parameter.Name);
                json.WriteString("description", parameter.Description);
                if (parameter.Type == ParameterType.StringArray)
                {
                    json.WriteString("type", "array");
                    json.WriteStartObject("items");
                    json.WriteString("type", "string");
                    json.WriteEndObject();
                }
                else
                {
                    json.WriteString("type", TypeName(parameter.Type));
                }
                json.WriteEndObject();
            }
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

    private static string TypeName(ParameterType type) => type switch
    {
        ParameterType.String => "string",
        ParameterType.Boolean => "boolean",
        ParameterType.Number => "number",
        ParameterType.Integer => "integer",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
