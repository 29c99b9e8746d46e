using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// Tidies the input schemas the SDK derives from the tool methods: an optional parameter is simply left
/// out, so it is described by its own type (<c>"string"</c>, not <c>["string","null"]</c>, without
/// <c>"default": null</c>), the most portable form for clients that map schemas onto other dialects.
/// </summary>
internal static class InputSchemas
{
    public static JsonElement Tidy(JsonElement schema)
    {
        var node = JsonNode.Parse(schema.GetRawText())!.AsObject();
        if (node["properties"] is JsonObject properties)
        {
            foreach (var (_, property) in properties)
            {
                if (property is JsonObject p) TidyProperty(p);
            }
        }
        return JsonSerializer.SerializeToElement(node, ToolJsonNodes.Default.JsonObject);
    }

    private static void TidyProperty(JsonObject property)
    {
        if (property["type"] is JsonArray types)
        {
            var kept = types.Select(t => t!.GetValue<string>()).Where(t => t != "null").ToList();
            if (kept.Count == 1) property["type"] = kept[0];
        }
        if (property["default"] is null && property.ContainsKey("default")) property.Remove("default");
        if (property["items"] is JsonObject items) TidyProperty(items);
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
internal sealed partial class ToolJsonNodes : System.Text.Json.Serialization.JsonSerializerContext;
