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
    /// null. Null means "not given". An argument the tool does not declare is refused with the list of those it does: a
    /// slip such as <c>working_directory</c> for <c>working_dir</c> would otherwise run the task somewhere else, silently.
    /// </summary>
    public static string? Problem(IReadOnlyList<ToolParameter> parameters, IReadOnlyDictionary<string, JsonElement>? arguments)
    {
        foreach (var parameter in parameters.Where(p => p.Required))
        {
            if (arguments is null || !arguments.TryGetValue(parameter.Name, out var value) || value.ValueKind == JsonValueKind.Null)
                return $"{parameter.Name} is required.";
        }
        if (arguments is null) return null;
        foreach (var name in arguments.Keys)
        {
            if (parameters.Any(p => p.Name == name)) continue;
            var known = string.Join(", ", parameters.Select(p => p.Name));
            var near = parameters.Select(p => p.Name).FirstOrDefault(candidate => name.StartsWith(candidate, StringComparison.OrdinalIgnoreCase)
                           || candidate.StartsWith(name, StringComparison.OrdinalIgnoreCase))
                       ?? parameters.Select(p => p.Name).Where(candidate => Distance(name, candidate) <= Math.Max(2, name.Length / 3)).MinBy(candidate => Distance(name, candidate));
            var hint = near is not null ? $" Did you mean {near}?" : "";
            var shown = name.Length > 60 ? name[..60] + "…" : name;
            return $"This tool has no argument '{shown}'.{hint} It takes: {known}.";
        }
        foreach (var (name, value) in arguments)
        {
            if (value.ValueKind == JsonValueKind.Null) continue;
            if (parameters.FirstOrDefault(p => p.Name == name)?.Problem(value) is { } problem) return problem;
        }
        return null;
    }

    /// <summary>The edit distance of two names (insertions, deletions, substitutions), for a "did you mean".</summary>
    private static int Distance(string a, string b)
    {
        if (a.Length > 100) return int.MaxValue;
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
