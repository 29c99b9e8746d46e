using System.Text.Json;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// One member of a tool's structured result, declared once: its name, how its output schema describes it and how a
/// value is written. Null is written as null, never left out: every member is required, and the Node SDK and the
/// Inspector reject a result without one.
/// </summary>
internal sealed class ResultField<T>(string name, Action<Utf8JsonWriter> writeSchema, Action<Utf8JsonWriter, T> writeValue)
{
    public string Name { get; } = name;

    public void WriteSchema(Utf8JsonWriter json)
    {
        json.WriteStartObject(Name);
        writeSchema(json);
        json.WriteEndObject();
    }

    public void WriteValue(Utf8JsonWriter json, T value)
    {
        json.WritePropertyName(Name);
        writeValue(json, value);
    }
}

/// <summary>The kinds of result members, each with its schema, nullability exact.</summary>
internal static class ResultField
{
    public static ResultField<T> String<T>(string name, Func<T, string> get, string? description = null) =>
        new(name, json => Typed(json, "string", description), (json, v) => json.WriteStringValue(get(v)));

    public static ResultField<T> Choice<T>(string name, Func<T, string> get, IReadOnlyList<string> choices) =>
        new(name, json =>
        {
            json.WriteString("type", "string");
            json.WriteStartArray("enum");
            foreach (var choice in choices) json.WriteStringValue(choice);
            json.WriteEndArray();
        }, (json, v) => json.WriteStringValue(get(v)));

    public static ResultField<T> Boolean<T>(string name, Func<T, bool> get) =>
        new(name, json => Typed(json, "boolean", null), (json, v) => json.WriteBooleanValue(get(v)));

    public static ResultField<T> Integer<T>(string name, Func<T, long> get, string? description = null) =>
        new(name, json => Typed(json, "integer", description), (json, v) => json.WriteNumberValue(get(v)));

    public static ResultField<T> NullableString<T>(string name, Func<T, string?> get, string? description = null) =>
        new(name, json => OrNull(json, "string", description), (json, v) =>
        {
            if (get(v) is { } text) json.WriteStringValue(text);
            else json.WriteNullValue();
        });

    public static ResultField<T> NullableNumber<T>(string name, Func<T, double?> get) =>
        new(name, json => OrNull(json, "number", null), (json, v) =>
        {
            if (get(v) is { } number) json.WriteNumberValue(number);
            else json.WriteNullValue();
        });

    public static ResultField<T> NullableInteger<T>(string name, Func<T, long?> get, string? description = null) =>
        new(name, json => OrNull(json, "integer", description), (json, v) =>
        {
            if (get(v) is { } number) json.WriteNumberValue(number);
            else json.WriteNullValue();
        });

    /// <summary>
    /// A free-form JSON object, given as JSON text, or null. It is written as the object itself, not as a string, and
    /// parsed and written again rather than copied, so its strings are escaped like every other member's.
    /// </summary>
    public static ResultField<T> NullableJsonObject<T>(string name, Func<T, string?> get, string description) =>
        new(name, json =>
        {
            json.WriteStartArray("anyOf");
            json.WriteStartObject();
            json.WriteString("type", "object");
            json.WriteBoolean("additionalProperties", true);
            json.WriteEndObject();
            json.WriteStartObject();
            json.WriteString("type", "null");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteString("description", description);
        }, (json, v) =>
        {
            if (get(v) is { } text)
            {
                using var document = JsonDocument.Parse(text);
                document.RootElement.WriteTo(json);
            }
            else json.WriteNullValue();
        });

    public static ResultField<T> Strings<T>(string name, Func<T, IReadOnlyList<string>> get, string? description = null) =>
        new(name, json =>
        {
            json.WriteString("type", "array");
            json.WriteStartObject("items");
            json.WriteString("type", "string");
            json.WriteEndObject();
            if (description is not null) json.WriteString("description", description);
        }, (json, v) =>
        {
            json.WriteStartArray();
            foreach (var item in get(v)) json.WriteStringValue(item);
            json.WriteEndArray();
        });

    public static ResultField<T> NullableObject<T, TItem>(string name, Func<T, TItem?> get, ResultShape<TItem> shape, string? description = null)
        where TItem : class =>
        new(name, json =>
        {
            json.WriteStartArray("anyOf");
            shape.WriteSchema(json);
            json.WriteStartObject();
            json.WriteString("type", "null");
            json.WriteEndObject();
            json.WriteEndArray();
            if (description is not null) json.WriteString("description", description);
        }, (json, v) =>
        {
            if (get(v) is { } value) shape.Write(json, value);
            else json.WriteNullValue();
        });

    public static ResultField<T> List<T, TItem>(string name, Func<T, IReadOnlyList<TItem>> get, ResultShape<TItem> item) =>
        new(name, json =>
        {
            json.WriteString("type", "array");
            json.WritePropertyName("items");
            item.WriteSchema(json);
        }, (json, v) =>
        {
            json.WriteStartArray();
            foreach (var element in get(v)) item.Write(json, element);
            json.WriteEndArray();
        });

    private static void Typed(Utf8JsonWriter json, string type, string? description)
    {
        json.WriteString("type", type);
        if (description is not null) json.WriteString("description", description);
    }

    private static void OrNull(Utf8JsonWriter json, string type, string? description)
    {
        json.WriteStartArray("anyOf");
        json.WriteStartObject();
        json.WriteString("type", type);
        json.WriteEndObject();
        json.WriteStartObject();
        json.WriteString("type", "null");
        json.WriteEndObject();
        json.WriteEndArray();
        if (description is not null) json.WriteString("description", description);
    }
}
