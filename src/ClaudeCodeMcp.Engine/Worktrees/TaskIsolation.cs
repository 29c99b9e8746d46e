using ClaudeCodeMcp.Engine.Store;

namespace ClaudeCodeMcp.Engine.Worktrees;

/// <summary>
/// A worktree task's isolation, decided when it is queued: either a new worktree (<see cref="WorktreeSource"/>, made when
/// the task starts) or, for a resumed session, the worktree the session ran in before (Claude Code finds a session by
/// the folder it ran in, and the work so far is there).
/// </summary>
internal sealed class TaskIsolation
{
    private readonly WorktreeSource? _source;
    private readonly ClaudeTaskRecord? _resumed;

    private TaskIsolation(WorktreeSource? source, ClaudeTaskRecord? resumed, string worktreesRoot, bool commit, Git git)
    {
        _source = source;
        _resumed = resumed;
        WorktreesRoot = worktreesRoot;
        Commit = commit;
        Worktrees = new TaskWorktrees(git);
    }

    public const string WorktreesFolder = "worktrees";

    public string WorktreesRoot { get; }
    public bool Commit { get; }
    public TaskWorktrees Worktrees { get; }

    /// <summary>Whether the worktree must be made when the task starts (false: it runs in an existing one).</summary>
    public bool MustCreate => _source is not null;

    /// <summary>
    /// The isolation <paramref name="spec"/> asks for, checked now so a refusal is an error of the start itself; null
    /// when the task runs in its working directory.
    /// </summary>
    public static TaskIsolation? Prepare(ClaudeTaskSpec spec, TaskStore store, Git git)
    {
        if (spec.Isolation == ClaudeIsolation.None) return null;
        var root = Path.Combine(store.Root, WorktreesFolder);
        if (spec.ResumeSessionId is { } session)
        {
            var earlier = store.List().FirstOrDefault(r => r.SessionId == session && r.Worktree is { } w && Directory.Exists(w.Path));
            if (earlier is not null) return new TaskIsolation(null, earlier, root, spec.Commit, git);
        }
        if (spec.Isolation != ClaudeIsolation.Worktree) return null;
        return new TaskIsolation(WorktreeSource.Locate(spec.WorkingDirectory, spec.BaseRef, git), null, root, spec.Commit, git);
    }

    public ClaudeTaskWorktree Worktree(string taskId) => _source is not null
        ? _source.For(taskId, WorktreesRoot, Commit)
        : _resumed!.Worktree! with { CommitOnCompletion = Commit, Problem = null };

    /// <summary>Where the child runs: the worktree's counterpart of the folder the task was asked to run in.</summary>
    public string ChildFolder(string taskId) => _source is not null ? _source.ChildFolder(Worktree(taskId)) : _resumed!.WorkingDirectory;

    /// <summary>The message of the commit made when the task completes: the task's id and its name or prompt.</summary>
    public static string CommitMessage(string taskId, string? name, string prompt)
    {
        var title = name;
        if (string.IsNullOrWhiteSpace(title))
        {
            title = prompt.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            if (title.Length > 60) title = title[..60].TrimEnd() + "…";
        }
        return $"Claude task {taskId}: {title}\n\nCommitted by claude-code-mcp when task {taskId} completed.";
    }
}
