namespace ClaudeCodeMcp.Engine;

/// <summary>Where a task's child works: in the folder it was given, or in a git worktree of its own.</summary>
public enum ClaudeIsolation
{
    /// <summary>In the working directory itself, beside whatever else works there.</summary>
    None,

    /// <summary>
    /// In a new git worktree of the repository that holds the working directory, on branch <c>claude-task/&lt;id&gt;</c>
    /// (<see cref="Worktrees.WorktreeSource"/>): tasks never see each other's or the user's uncommitted files.
    /// </summary>
    Worktree,
}
