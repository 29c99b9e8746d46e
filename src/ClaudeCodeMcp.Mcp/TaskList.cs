namespace ClaudeCodeMcp.Mcp;

/// <summary>What <c>claude_code_wait</c> and <c>claude_code_list_tasks</c> return.</summary>
public sealed record TaskList(IReadOnlyList<StatusRecord> Tasks, string Message)
{
    internal static ResultShape<TaskList> Shape { get; } = new(
        ResultField.List<TaskList, StatusRecord>("tasks", l => l.Tasks, StatusRecord.Shape),
        ResultField.String<TaskList>("message", l => l.Message));
}
