namespace ClaudeCodeMcp.Engine;

/// <summary>What removing a task did: for a worktree task, what became of its worktree and branch, in one message for a person.</summary>
public sealed record ClaudeTaskRemoval
{
    public required string TaskId { get; init; }

    /// <summary>The task's worktree as it was just before the removal (null for a task without isolation).</summary>
    public ClaudeTaskWorktree? Worktree { get; init; }

    public bool WorktreeDeleted { get; init; }
    public bool BranchDeleted { get; init; }

    /// <summary>Uncommitted files a forced removal discarded (at most <see cref="ClaudeTaskWorktree.MaxListedFiles"/> named).</summary>
    public IReadOnlyList<string> DiscardedFiles { get; init; } = [];
    public int DiscardedFileCount { get; init; }

    /// <summary>What happened, and where the work is when it was kept.</summary>
    public required string Message { get; init; }
}
