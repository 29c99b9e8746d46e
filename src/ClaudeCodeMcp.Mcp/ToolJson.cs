using System.Text.Json.Serialization;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// How tool results are serialized. Null members are written (as null), never left out: the output
/// schemas list every member as required, and the Node SDK and the Inspector reject a result without them.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusRecord))]
[JsonSerializable(typeof(StartedTask))]
[JsonSerializable(typeof(TaskList))]
[JsonSerializable(typeof(OutputPage))]
internal sealed partial class ToolJson : JsonSerializerContext;

/// <summary>What <c>claude_code_execute_async</c> returns.</summary>
public sealed record StartedTask(
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("message")] string Message);

/// <summary>What <c>claude_code_wait</c> and <c>claude_code_list_tasks</c> return.</summary>
public sealed record TaskList(
    [property: JsonPropertyName("tasks")] IReadOnlyList<StatusRecord> Tasks,
    [property: JsonPropertyName("message")] string Message);

/// <summary>What <c>claude_code_get_output</c> returns: a page of the readable transcript.</summary>
public sealed record OutputPage(
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("offset")] long Offset,
    [property: JsonPropertyName("next_offset")] long? NextOffset,
    [property: JsonPropertyName("message")] string Message);
