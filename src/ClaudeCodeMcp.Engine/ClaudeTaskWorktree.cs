using System.Text.Json.Serialization;

namespace ClaudeCodeMcp.Engine;

/// <summary>
/// The git worktree a task runs in (<see cref="ClaudeIsolation.Worktree"/>) and what it holds: where it is, which
/// branch has the work, and how that branch differs from where it started. Planned when the task is queued, made when
/// it starts, and inspected when it ends (and again when the task is removed).
/// </summary>
public sealed record ClaudeTaskWorktree
{
    /// <summary>The most file names a record lists; the counts are always whole.</summary>
    public const int MaxListedFiles = 100;

    /// <summary>The top folder of the working tree the task was asked to run in (the user's repository).</summary>
    public required string Repository { get; init; }

    /// <summary>The worktree's top folder (outside the user's working tree).</summary>
    public required string Path { get; init; }

    /// <summary><c>claude-task/&lt;task id&gt;</c>: the branch that holds the task's work.</summary>
    public required string Branch { get; init; }

    /// <summary>The base as it was asked for (<c>HEAD</c> when nothing was said).</summary>
    public required string BaseRef { get; init; }

    /// <summary>The commit <see cref="BaseRef"/> named when the task was queued: the branch starts here.</summary>
    public required string BaseCommit { get; init; }

    /// <summary>The branch's commit when last inspected.</summary>
    public string? HeadCommit { get; init; }

    /// <summary>Commits on the branch beyond <see cref="BaseCommit"/>.</summary>
    public int CommitsAhead { get; init; }

    /// <summary>Files that differ from the base, committed or not (at most <see cref="MaxListedFiles"/> named).</summary>
    public IReadOnlyList<string> ChangedFiles { get; init; } = [];
    public int ChangedFileCount { get; init; }

    /// <summary>Files changed in the worktree and not committed (at most <see cref="MaxListedFiles"/> named).</summary>
    public IReadOnlyList<string> UncommittedFiles { get; init; } = [];
    public int UncommittedFileCount { get; init; }

    /// <summary>Whether what a completed child leaves uncommitted is committed on its branch.</summary>
    public bool CommitOnCompletion { get; init; } = true;

    /// <summary>Why the commit on completion or the last inspection failed (the work stays in the worktree).</summary>
    public string? Problem { get; init; }

    /// <summary>The <see cref="Problem"/> of a worktree whose task ended without the engine looking at it (its owner shut down or died).</summary>
    public const string NotInspected = "The task ended with the process that owned it, before its worktree was looked at: the files named here may be out of date, and nothing was committed. Look in the worktree itself.";

    [JsonIgnore]
    public bool HasUncommittedChanges => UncommittedFileCount > 0;

    /// <summary>The command that shows the task's work against its base, run in <see cref="Repository"/>.</summary>
    [JsonIgnore]
    public string ReviewCommand => $"git diff {ShortBase}...{Branch}";

    [JsonIgnore]
    public string ShortBase => BaseCommit.Length > 12 ? BaseCommit[..12] : BaseCommit;
}
