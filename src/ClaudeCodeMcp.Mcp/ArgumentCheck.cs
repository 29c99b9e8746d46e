using System.Text.Json;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// Checks a tool call's arguments against the tool's input schema before binding, so that a missing or
/// mistyped argument gets a message naming it ("max_turns must be an integer, not a string").
/// </summary>
internal static class ArgumentCheck
{
    public static string? Problem(JsonElement schema, IReadOnlyDictionary<string, JsonElement>? arguments)
    {
        if (!schema.TryGetProperty("properties", out var properties)) return null;
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (arguments is null || !arguments.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
                    return $"{name} is required.";
            }
        }
        if (arguments is null) return null;
        foreach (var (name, value) in arguments)
        {
            if (!properties.TryGetProperty(name, out var property)) continue; // unknown extras are ignored, as the seed did
            if (value.ValueKind == JsonValueKind.Null) continue; // null means "not given" for an optional argument
            var allowed = Types(property);
            if (allowed.Count == 0 || allowed.Any(t => Fits(t, value, property))) continue;
            return $"{name} must be {string.Join(" or ", allowed.Where(t => t != "null").Select(Article))}, not {Describe(value)}.";
        }
        return null;
    }

    private static List<string> Types(JsonElement property)
    {
        if (!property.TryGetProperty("type", out var type)) return [];
        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString()!).ToList()
            : [type.GetString()!];
    }

    private static bool Fits(string type, JsonElement value, JsonElement property) => type switch
    {
        "null" => value.ValueKind == JsonValueKind.Null,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "array" => value.ValueKind == JsonValueKind.Array && ItemsFit(value, property),
        "object" => value.ValueKind == JsonValueKind.Object,
        _ => true,
    };

    private static bool ItemsFit(JsonElement array, JsonElement property)
    {
        if (!property.TryGetProperty("items", out var items)) return true;
        var allowed = Types(items);
        return allowed.Count == 0 || array.EnumerateArray().All(item => allowed.Any(t => Fits(t, item, items)));
    }

    private static string Article(string type) => type switch
    {
        "array" => "an array of strings",
        "integer" => "an integer",
        "object" => "an object",
        _ => "a " + type,
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array with items of another type",
        JsonValueKind.Object => "an object",
        _ => "null",
    };
}
