namespace ClaudeCodeMcp;

/// <summary>
/// The git worktree a task ran in (<c>-Isolation Worktree</c>), as tasks and result objects show it: which branch holds
/// the work, where it started, and what changed. One line of text in CSV and tables (<see cref="ToString"/>), an object
/// in JSON; <see cref="ReviewCommand"/> is the command that shows the work.
/// </summary>
public sealed class TaskWorktree
{
    // No member of an engine type (see ClaudeTaskResult): the engine's record is copied into plain values.
    private TaskWorktree(Engine.ClaudeTaskWorktree worktree)
    {
        Repository = worktree.Repository;
        Path = worktree.Path;
        Branch = worktree.Branch;
        BaseRef = worktree.BaseRef;
        BaseCommit = worktree.BaseCommit;
        HeadCommit = worktree.HeadCommit;
        CommitsAhead = worktree.CommitsAhead;
        ChangedFiles = [.. worktree.ChangedFiles];
        ChangedFileCount = worktree.ChangedFileCount;
        UncommittedFiles = [.. worktree.UncommittedFiles];
        UncommittedFileCount = worktree.UncommittedFileCount;
        CommitOnCompletion = worktree.CommitOnCompletion;
        Problem = worktree.Problem;
        ReviewCommand = worktree.ReviewCommand;
        _shortBase = worktree.ShortBase;
    }

    private readonly string _shortBase;

    /// <summary>The user's repository (its top folder), where the branch lives and <see cref="ReviewCommand"/> runs.</summary>
    public string Repository { get; }

    /// <summary>The worktree's folder, under the state folder's <c>worktrees/&lt;task id&gt;/</c>.</summary>
    public string Path { get; }

    /// <summary><c>claude-task/&lt;task id&gt;</c>: the branch that holds the task's work.</summary>
    public string Branch { get; }

    /// <summary>The base as it was asked for (<c>-BaseRef</c>; <c>HEAD</c> by default).</summary>
    public string BaseRef { get; }

    /// <summary>The commit the branch started from.</summary>
    public string BaseCommit { get; }

    /// <summary>The branch's commit when last looked at.</summary>
    public string? HeadCommit { get; }

    /// <summary>Commits on the branch beyond <see cref="BaseCommit"/>.</summary>
    public int CommitsAhead { get; }

    /// <summary>Files that differ from the base, committed or not (at most 100 named; <see cref="ChangedFileCount"/> is whole).</summary>
    public string[] ChangedFiles { get; }
    public int ChangedFileCount { get; }

    /// <summary>Files changed in the worktree and not committed (at most 100 named).</summary>
    public string[] UncommittedFiles { get; }
    public int UncommittedFileCount { get; }

    /// <summary>False with <c>-NoCommit</c>: what a completed task left stays uncommitted in the worktree.</summary>
    public bool CommitOnCompletion { get; }

    /// <summary>Why committing or looking at the worktree failed (the work stays in the worktree).</summary>
    public string? Problem { get; }

    /// <summary><c>git diff &lt;base&gt;...&lt;branch&gt;</c>, to run in <see cref="Repository"/>.</summary>
    public string ReviewCommand { get; }

    internal static TaskWorktree? Of(Engine.ClaudeTaskRecord record) => record.Worktree is { } w ? new TaskWorktree(w) : null;

    /// <summary>The branch and what it holds, e.g. <c>claude-task/k7m2p9qx: 1 commit, 2 files changed from 1a2b3c4d5e6f</c>.</summary>
    public override string ToString()
    {
        var text = $"{Branch}: {Count(CommitsAhead, "commit")}, {Count(ChangedFileCount, "file")} changed from {_shortBase}";
        if (UncommittedFileCount > 0) text += $", {UncommittedFileCount} uncommitted";
        return text;
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
