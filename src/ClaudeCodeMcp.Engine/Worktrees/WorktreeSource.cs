namespace ClaudeCodeMcp.Engine.Worktrees;

/// <summary>
/// Where a worktree task comes from, checked when the task is queued: the repository that holds the working directory,
/// the subfolder the task was asked to run in, and the commit its branch starts from. A folder outside any repository,
/// a bare repository (or a folder inside <c>.git</c>), an unknown base and a repository without commits are refused
/// with an error that says what to do.
/// </summary>
internal sealed record WorktreeSource(string Repository, string Subfolder, string BaseRef, string BaseCommit)
{
    public const string BranchPrefix = "claude-task/";
    public const string DefaultBaseRef = "HEAD";

    public static WorktreeSource Locate(string workingDirectory, string? baseRef, Git git)
    {
        baseRef = string.IsNullOrWhiteSpace(baseRef) ? DefaultBaseRef : baseRef.Trim();
        if (baseRef.StartsWith('-') || baseRef.Any(char.IsControl))
            throw new ClaudeTaskException(ClaudeErrorCode.UnknownBaseRef, $"'{baseRef}' is not a base ref. Pass a branch, tag or commit, e.g. HEAD or main.");

        var where = git.Run(workingDirectory, "rev-parse", "--is-bare-repository", "--is-inside-work-tree");
        if (!where.Succeeded)
        {
            throw new ClaudeTaskException(ClaudeErrorCode.NotAGitRepository,
                $"Worktree isolation needs a git repository, and '{workingDirectory}' is not inside one ({where.Reason}). "
                + "Run the task in a folder of a git repository, or without isolation.");
        }
        var answers = Lines(where.Stdout);
        if (answers is not ["false", "true", ..])
        {
            throw new ClaudeTaskException(ClaudeErrorCode.NotAGitRepository,
                $"'{workingDirectory}' is in a bare repository or inside a .git folder, which has no working tree to copy. "
                + "Run the task in a folder of a repository's working tree.");
        }

        var located = git.Run(workingDirectory, "rev-parse", "--show-toplevel", "--show-prefix", baseRef + "^{commit}");
        if (!located.Succeeded)
        {
            var unborn = !git.Run(workingDirectory, "rev-parse", "--verify", "--quiet", "HEAD").Succeeded;
            throw new ClaudeTaskException(ClaudeErrorCode.UnknownBaseRef, unborn && baseRef == DefaultBaseRef
                ? $"The repository of '{workingDirectory}' has no commits yet, so a worktree has nothing to start from. Commit first, or run the task without isolation."
                : $"The base ref '{baseRef}' names no commit in the repository of '{workingDirectory}' ({located.Reason}). "
                  + "Pass a branch, tag or commit that exists (git log --oneline shows them), or leave the base ref out to start from HEAD.");
        }
        // Three lines: the top folder, the subfolder (an empty line at the top) and the commit.
        var lines = located.Stdout.Split('\n');
        if (lines.Length < 3 || lines[0].Length == 0 || lines[2].Trim().Length == 0)
            throw new ClaudeTaskException(ClaudeErrorCode.WorktreeFailed, $"git rev-parse gave an unexpected answer in '{workingDirectory}'.");
        return new WorktreeSource(lines[0], lines[1].TrimEnd('/'), baseRef, lines[2].Trim());
    }

    /// <summary>The worktree of task <paramref name="taskId"/>: <c>&lt;root&gt;/&lt;id&gt;/&lt;repository's name&gt;</c>, on its own branch.</summary>
    public ClaudeTaskWorktree For(string taskId, string worktreesRoot, bool commitOnCompletion) => new()
    {
        Repository = Repository,
        Path = System.IO.Path.Combine(worktreesRoot, taskId, System.IO.Path.GetFileName(Repository.TrimEnd('/')) is { Length: > 0 } name ? name : "repository"),
        Branch = BranchPrefix + taskId,
        BaseRef = BaseRef,
        BaseCommit = BaseCommit,
        HeadCommit = BaseCommit,
        CommitOnCompletion = commitOnCompletion,
    };

    /// <summary>The folder of <paramref name="worktree"/> the child runs in: the one the task was asked to run in, seen from the top.</summary>
    public string ChildFolder(ClaudeTaskWorktree worktree) =>
        Subfolder.Length == 0 ? worktree.Path : System.IO.Path.Combine(worktree.Path, Subfolder);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
