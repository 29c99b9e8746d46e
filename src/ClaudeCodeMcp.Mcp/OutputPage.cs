namespace ClaudeCodeMcp.Mcp;

/// <summary>What <c>claude_code_get_output</c> returns: a page of the readable transcript.</summary>
public sealed record OutputPage(string TaskId, string Status, string Text, long Offset, long? NextOffset, string Message)
{
    internal static ResultShape<OutputPage> Shape { get; } = new(
        ResultField.String<OutputPage>("task_id", p => p.TaskId),
        ResultField.String<OutputPage>("status", p => p.Status),
        ResultField.String<OutputPage>("text", p => p.Text),
        ResultField.Integer<OutputPage>("offset", p => p.Offset),
        ResultField.NullableInteger<OutputPage>("next_offset", p => p.NextOffset, "Pass as offset for the next page; null at the end."),
        ResultField.String<OutputPage>("message", p => p.Message));
}
