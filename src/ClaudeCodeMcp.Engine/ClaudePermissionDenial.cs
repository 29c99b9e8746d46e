namespace ClaudeCodeMcp.Engine;

/// <summary>A tool call the child was refused; a run can succeed having done none of its work.</summary>
public sealed record ClaudePermissionDenial(string ToolName, string? ToolUseId, string? ToolInput);
