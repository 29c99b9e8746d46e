using ClaudeCodeMcp.Engine;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// What <c>claude_code_remove</c> returns: that the task is gone, and for a worktree task what became of its worktree
/// and branch. A refusal is a tool error instead, so <c>removed</c> is always true here.
/// </summary>
public sealed record RemovedTask(string TaskId, bool WorktreeDeleted, string? Branch, bool BranchDeleted,
    IReadOnlyList<string> DiscardedFiles, int DiscardedFileCount, string Message)
{
    internal static ResultShape<RemovedTask> Shape { get; } = new(
        ResultField.String<RemovedTask>("task_id", r => r.TaskId),
        ResultField.Boolean<RemovedTask>("removed", _ => true),
        ResultField.Boolean<RemovedTask>("worktree_deleted", r => r.WorktreeDeleted),
        ResultField.NullableString<RemovedTask>("branch", r => r.Branch, "The task's branch (null without a worktree); kept unless branch_deleted."),
        ResultField.Boolean<RemovedTask>("branch_deleted", r => r.BranchDeleted),
        ResultField.Strings<RemovedTask>("discarded_files", r => r.DiscardedFiles, "Uncommitted files that force discarded (the first ones when there are many)."),
        ResultField.Integer<RemovedTask>("discarded_file_count", r => r.DiscardedFileCount),
        ResultField.String<RemovedTask>("message", r => r.Message, "What was removed, and where kept work is."));

    internal static RemovedTask From(ClaudeTaskRemoval removal) => new(removal.TaskId, removal.WorktreeDeleted, removal.Worktree?.Branch,
        removal.BranchDeleted, removal.DiscardedFiles, removal.DiscardedFileCount, removal.Message);
}
