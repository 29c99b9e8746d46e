using System.Globalization;
using System.Text.Json;
using ClaudeCodeMcp.Engine.Options;

namespace ClaudeCodeMcp.Mcp;

/// <summary>The JSON types a tool parameter can take.</summary>
internal enum ParameterType
{
    String,
    Boolean,
    Number,
    Integer,
    StringArray,

    /// <summary>A JSON object, or the same as JSON text (a schema, subagents): models write either.</summary>
    JsonObject,
}

/// <summary>
/// One parameter of a tool, declared once: it writes itself into the tool's input schema (<see cref="InputSchema"/>),
/// checks a call's value (<see cref="Problem"/>), and is what <see cref="ToolArguments"/> reads by. A task option
/// with limits takes its description, range or choices from the engine's rule (<see cref="Limited"/>).
/// </summary>
internal sealed record ToolParameter(string Name, ParameterType Type, string Description, bool Required = false)
{
    /// <summary>The engine's limits for this option, when it has some.</summary>
    public TaskOptionRule? Rule { get; init; }

    /// <summary>A task option whose description and limits are the engine's rule.</summary>
    public static ToolParameter Limited(string name, ParameterType type, TaskOptionRule rule) =>
        new(name, type, $"{rule.Summary} {char.ToUpperInvariant(rule.Limits[0])}{rule.Limits[1..]}.") { Rule = rule };

    public void WriteSchema(Utf8JsonWriter json)
    {
        json.WriteStartObject(Name);
        json.WriteString("description", Description);
        if (Type == ParameterType.JsonObject)
        {
            // anyOf of single types, not "type": [..]: clients that map schemas onto a one-type dialect take this form.
            json.WriteStartArray("anyOf");
            foreach (var type in (string[])["object", "string"])
            {
                json.WriteStartObject();
                json.WriteString("type", type);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        else if (Type == ParameterType.StringArray)
        {
            json.WriteString("type", "array");
            json.WriteStartObject("items");
            json.WriteString("type", "string");
            json.WriteEndObject();
        }
        else
        {
            json.WriteString("type", JsonType);
        }
        if (Rule is { } rule)
        {
            if (rule.Choices.Count > 0)
            {
                json.WriteStartArray("enum");
                foreach (var choice in rule.Choices) json.WriteStringValue(choice);
                json.WriteEndArray();
            }
            if (rule.Minimum is { } min) json.WriteNumber(rule.MinimumExclusive ? "exclusiveMinimum" : "minimum", min);
            if (rule.Maximum is { } max) json.WriteNumber("maximum", max);
        }
        json.WriteEndObject();
    }

    /// <summary>What is wrong with a given (non-null) value, in a sentence naming this parameter; null when it fits.</summary>
    public string? Problem(JsonElement value)
    {
        var fits = Type switch
        {
            ParameterType.String => value.ValueKind == JsonValueKind.String,
            ParameterType.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            ParameterType.Number => value.ValueKind == JsonValueKind.Number,
            ParameterType.Integer => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            ParameterType.JsonObject => value.ValueKind is JsonValueKind.Object or JsonValueKind.String,
            _ => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String),
        };
        if (!fits) return $"{Name} must be {Article}, not {Describe(value)}.";
        if (Rule is not { } rule) return null;
        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.TryGetDouble(out var number) && rule.Allows(number)
                ? null
                : $"{Name} is out of range: it must be {rule.Limits}, not {value.GetRawText()}.";
        }
        var text = value.GetString()!;
        // A blank string means "not given", as for every optional string of these tools, and in the cmdlets.
        return rule.Choices.Count == 0 || rule.AllowsChoice(text)
            ? null
            : $"{Name} must be {rule.Limits}, not {TaskOptionRule.Show(text)}.";
    }

    private string JsonType => Type switch
    {
        ParameterType.String => "string",
        ParameterType.Boolean => "boolean",
        ParameterType.Number => "number",
        ParameterType.Integer => "integer",
        ParameterType.JsonObject => "object",
        _ => "array",
    };

    private string Article => Type switch
    {
        ParameterType.StringArray => "an array of strings",
        ParameterType.Integer => "an integer",
        ParameterType.JsonObject => "a JSON object or its text",
        _ => "a " + JsonType,
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
