using System.Buffers;
using System.Text.Json;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// A tool's structured result, declared once as a list of members (<see cref="ResultField{T}"/>): it gives the
/// tool's output schema and writes each result, so the two cannot drift. No reflection: start-up and every call
/// only run the writers.
/// </summary>
internal sealed class ResultShape<T>
{
    private readonly IReadOnlyList<ResultField<T>> _fields;

    public ResultShape(params ResultField<T>[] fields)
    {
        _fields = fields;
        Schema = Build(WriteSchema);
    }

    /// <summary>The output schema: an object whose every member is required.</summary>
    public JsonElement Schema { get; }

    public JsonElement ToElement(T value) => Build(json => Write(json, value));

    public void WriteSchema(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("type", "object");
        json.WriteStartObject("properties");
        foreach (var field in _fields) field.WriteSchema(json);
        json.WriteEndObject();
        json.WriteStartArray("required");
        foreach (var field in _fields) json.WriteStringValue(field.Name);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public void Write(Utf8JsonWriter json, T value)
    {
        json.WriteStartObject();
        foreach (var field in _fields) field.WriteValue(json, value);
        json.WriteEndObject();
    }

    private static JsonElement Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer)) write(json);
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
