using System.Text.Json;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// A tool call's arguments, read by name. The call was checked against the input schema first
/// (<see cref="ArgumentCheck"/>), so a getter meets only its own type or null; null and absent both mean
/// "not given". What still does not fit (an integer too large, say) is a <see cref="ToolArgumentException"/>
/// naming the argument.
/// </summary>
internal sealed class ToolArguments(IDictionary<string, JsonElement>? arguments)
{
    public string? String(string name) => Get(name) is { } value ? value.GetString() : null;

    public string RequiredString(string name) => String(name) ?? throw new ToolArgumentException($"{name} is required.");

    public bool? Boolean(string name) => Get(name) is { } value ? value.GetBoolean() : null;

    public double? Number(string name) => Get(name) is { } value ? value.GetDouble() : null;

    public int? Int32(string name) => Get(name) is { } value
        ? value.TryGetInt32(out var number) ? number : throw new ToolArgumentException($"{name} is out of range: {value.GetRawText()}.")
        : null;

    public long? Int64(string name) => Get(name) is { } value
        ? value.TryGetInt64(out var number) ? number : throw new ToolArgumentException($"{name} is out of range: {value.GetRawText()}.")
        : null;

    public string[]? Strings(string name) => Get(name) is { } value
        ? value.EnumerateArray().Select(item => item.GetString() ?? throw new ToolArgumentException($"{name} must not hold null.")).ToArray()
        : null;

    private JsonElement? Get(string name) =>
        arguments is not null && arguments.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
}
