namespace ClaudeCodeMcp.Mcp;

/// <summary>What <c>claude_code_execute_async</c> returns.</summary>
public sealed record StartedTask(string TaskId, string Status, string Message)
{
    internal static ResultShape<StartedTask> Shape { get; } = new(
        ResultField.String<StartedTask>("task_id", t => t.TaskId),
        ResultField.String<StartedTask>("status", t => t.Status),
        ResultField.String<StartedTask>("message", t => t.Message));
}
