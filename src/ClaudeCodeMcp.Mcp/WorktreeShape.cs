using ClaudeCodeMcp.Engine;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// The <c>worktree</c> member of a status record: where an isolated task works, which branch holds its work, and how
/// that branch differs from its base. The repository is there too: the review command in the message runs in it.
/// </summary>
internal static class WorktreeShape
{
    public static ResultShape<ClaudeTaskWorktree> Shape { get; } = new(
        ResultField.String<ClaudeTaskWorktree>("repository", w => w.Repository, "The repository the task was started in; run git commands for its branch here."),
        ResultField.String<ClaudeTaskWorktree>("path", w => w.Path, "The worktree folder the child works in."),
        ResultField.String<ClaudeTaskWorktree>("branch", w => w.Branch),
        ResultField.String<ClaudeTaskWorktree>("base_ref", w => w.BaseRef),
        ResultField.String<ClaudeTaskWorktree>("base_commit", w => w.BaseCommit),
        ResultField.NullableString<ClaudeTaskWorktree>("head_commit", w => w.HeadCommit),
        ResultField.Integer<ClaudeTaskWorktree>("commits_ahead", w => w.CommitsAhead),
        ResultField.Strings<ClaudeTaskWorktree>("changed_files", w => w.ChangedFiles, "Files that differ from the base, committed or not (the first few of changed_file_count)."),
        ResultField.Integer<ClaudeTaskWorktree>("changed_file_count", w => w.ChangedFileCount),
        ResultField.Strings<ClaudeTaskWorktree>("uncommitted_files", w => w.UncommittedFiles, "Files changed and not committed (the first few of uncommitted_file_count)."),
        ResultField.Integer<ClaudeTaskWorktree>("uncommitted_file_count", w => w.UncommittedFileCount),
        ResultField.NullableString<ClaudeTaskWorktree>("problem", w => w.Problem, "What went wrong committing or reading the worktree (the work stays there)."));
}
