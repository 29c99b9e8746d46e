using System.Text.Json;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// A tool call's arguments, read by their declarations. The call was checked against those declarations first
/// (<see cref="InputSchema.Problem"/>), so a getter meets only its own type, within its limits, or null; null and
/// absent both mean "not given". What still does not fit (an integer too large, say) is a
/// <see cref="ToolArgumentException"/> naming the argument.
/// </summary>
internal sealed class ToolArguments(IDictionary<string, JsonElement>? arguments)
{
    public string? String(ToolParameter parameter) => Get(parameter, ParameterType.String) is { } value ? value.GetString() : null;

    public string RequiredString(ToolParameter parameter) =>
        String(parameter) ?? throw new ToolArgumentException($"{parameter.Name} is required.");

    public bool? Boolean(ToolParameter parameter) => Get(parameter, ParameterType.Boolean) is { } value ? value.GetBoolean() : null;

    public double? Number(ToolParameter parameter) => Get(parameter, ParameterType.Number) is { } value
        ? value.TryGetDouble(out var number) ? number : throw OutOfRange(parameter, value)
        : null;

    public int? Int32(ToolParameter parameter) => Get(parameter, ParameterType.Integer) is { } value
        ? value.TryGetInt32(out var number) ? number : throw OutOfRange(parameter, value)
        : null;

    public long? Int64(ToolParameter parameter) => Get(parameter, ParameterType.Integer) is { } value
        ? value.TryGetInt64(out var number) ? number : throw OutOfRange(parameter, value)
        : null;

    public string[]? Strings(ToolParameter parameter) => Get(parameter, ParameterType.StringArray) is { } value
        ? value.EnumerateArray().Select(item => item.GetString() ?? throw new ToolArgumentException($"{parameter.Name} must not hold null.")).ToArray()
        : null;

    /// <summary>An object as compact JSON text, or text as given (the engine refuses text that is not a JSON object).</summary>
    public string? JsonObject(ToolParameter parameter) => Get(parameter, ParameterType.JsonObject) is { } value
        ? value.ValueKind == JsonValueKind.String ? value.GetString() : Engine.Options.JsonText.Compact(value)
        : null;

    private JsonElement? Get(ToolParameter parameter, ParameterType type)
    {
        if (parameter.Type != type) throw new InvalidOperationException($"{parameter.Name} is declared {parameter.Type}, not read as {type}.");
        return arguments is not null && arguments.TryGetValue(parameter.Name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }

    private static ToolArgumentException OutOfRange(ToolParameter parameter, JsonElement value) =>
        new($"{parameter.Name} is out of range: {value.GetRawText()}.");
}
