using System.Text.Json;

namespace ClaudeCodeMcp.Mcp;

/// <summary>The tools' output schemas, written out so that nullability is exact.</summary>
internal static class ToolSchemas
{
    private const string StatusProperties = """
        "task_id": { "type": "string", "description": "The task's id." },
        "name": { "anyOf": [{ "type": "string" }, { "type": "null" }] },
        "status": { "type": "string", "enum": ["queued", "running", "completed", "failed", "cancelled", "timed_out"] },
        "result": { "anyOf": [{ "type": "string" }, { "type": "null" }], "description": "The child's final answer (only when it printed one)." },
        "result_truncated": { "type": "boolean" },
        "error": { "anyOf": [{ "type": "string" }, { "type": "null" }], "description": "Why the task did not complete." },
        "session_id": { "anyOf": [{ "type": "string" }, { "type": "null" }] },
        "model": { "anyOf": [{ "type": "string" }, { "type": "null" }] },
        "working_dir": { "anyOf": [{ "type": "string" }, { "type": "null" }] },
        "cost_usd": { "anyOf": [{ "type": "number" }, { "type": "null" }] },
        "num_turns": { "anyOf": [{ "type": "integer" }, { "type": "null" }] },
        "duration_ms": { "anyOf": [{ "type": "integer" }, { "type": "null" }] },
        "started_at": { "anyOf": [{ "type": "string" }, { "type": "null" }] },
        "ended_at": { "anyOf": [{ "type": "string" }, { "type": "null" }] },
        "activity": { "anyOf": [{ "type": "string" }, { "type": "null" }], "description": "While running: what the child is doing now." },
        "permission_denials": { "type": "array", "items": { "type": "string" }, "description": "Tools the child was refused." },
        "message": { "type": "string", "description": "What happened and what to call next." }
        """;

    private const string StatusRequired = """
        ["task_id", "name", "status", "result", "result_truncated", "error", "session_id", "model", "working_dir", "cost_usd",
         "num_turns", "duration_ms", "started_at", "ended_at", "activity", "permission_denials", "message"]
        """;

    public static JsonElement Status { get; } = Parse($$"""
        { "type": "object", "properties": { {{StatusProperties}} }, "required": {{StatusRequired}} }
        """);

    public static JsonElement TaskList { get; } = Parse($$"""
        {
          "type": "object",
          "properties": {
            "tasks": { "type": "array", "items": { "type": "object", "properties": { {{StatusProperties}} }, "required": {{StatusRequired}} } },
            "message": { "type": "string" }
          },
          "required": ["tasks", "message"]
        }
        """);

    public static JsonElement Started { get; } = Parse("""
        {
          "type": "object",
          "properties": {
            "task_id": { "type": "string" },
            "status": { "type": "string" },
            "message": { "type": "string" }
          },
          "required": ["task_id", "status", "message"]
        }
        """);

    public static JsonElement Output { get; } = Parse("""
        {
          "type": "object",
          "properties": {
            "task_id": { "type": "string" },
            "status": { "type": "string" },
            "text": { "type": "string" },
            "offset": { "type": "integer" },
            "next_offset": { "anyOf": [{ "type": "integer" }, { "type": "null" }], "description": "Pass as offset for the next page; null at the end." },
            "message": { "type": "string" }
          },
          "required": ["task_id", "status", "text", "offset", "next_offset", "message"]
        }
        """);

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
