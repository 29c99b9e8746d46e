using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClaudeCodeMcp.Engine.Store;

/// <summary>How records are written on disk: snake_case, states by wire name, compact.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    Converters = [typeof(TaskStateJsonConverter)])]
[JsonSerializable(typeof(ClaudeTaskRecord))]
[JsonSerializable(typeof(StopRequest))]
internal sealed partial class StoreJson : JsonSerializerContext;

/// <summary>Writes states as <c>timed_out</c>, the same names the doors show.</summary>
internal sealed class TaskStateJsonConverter : JsonConverter<ClaudeTaskState>
{
    public override ClaudeTaskState Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ClaudeTaskStateExtensions.TryParseWireName(reader.GetString(), out var state)
            ? state
            : throw new JsonException($"Unknown task state '{reader.GetString()}'.");

    public override void Write(Utf8JsonWriter writer, ClaudeTaskState value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToWireName());
}

/// <summary>Left in the store by a process that wants another process's task stopped.</summary>
internal sealed record StopRequest(int RequestedByPid, DateTimeOffset RequestedAt);
