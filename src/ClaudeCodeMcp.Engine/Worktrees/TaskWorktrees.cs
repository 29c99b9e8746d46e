namespace ClaudeCodeMcp.Engine.Worktrees;

/// <summary>
/// What the engine does to a task's worktree with the real git: make it when the task starts, commit what a completed
/// child left, and say what it holds. Removal, which must never lose work, is <see cref="WorktreeRemoval"/>.
/// </summary>
internal sealed class TaskWorktrees(Git git)
{
    public Git Git => git;

    /// <summary>
    /// Makes the worktree on its new branch from the base commit, and the folder the child runs in. Git runs on a thread of
    /// its own, and a task waiting for another's <c>worktree add</c> holds no thread at all, so dozens of isolated tasks
    /// starting at once never starve the thread pool that reads every child's output.
    /// </summary>
    public async Task CreateAsync(ClaudeTaskWorktree worktree, string childFolder)
    {
        var parent = Path.GetDirectoryName(worktree.Path)!;
        Directory.CreateDirectory(parent);
        if (Directory.Exists(worktree.Path) && Directory.EnumerateFileSystemEntries(worktree.Path).Any())
        {
            throw new ClaudeTaskException(ClaudeErrorCode.WorktreeFailed,
                $"The worktree folder '{worktree.Path}' is already there and not empty; it was left as it is.");
        }
        // One `git worktree add` at a time per repository: git reads every other worktree's files while it adds one, and
        // fails ("failed to read .git/worktrees/<name>/commondir") when it finds one another add is still writing.
        var gate = AddGates.GetOrAdd(worktree.Repository, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await Task.Factory.StartNew(() => git.Required("Making the task's worktree", worktree.Repository,
                    "worktree", "add", "--quiet", "--no-track", "-b", worktree.Branch, worktree.Path, worktree.BaseCommit),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
        Directory.CreateDirectory(childFolder); // a subfolder the base commit does not have (say, an empty one)
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> AddGates = new(StringComparer.Ordinal);

    /// <summary>
    /// The worktree at the task's end: with <paramref name="commit"/>, what the child left uncommitted is committed on the
    /// branch first (author from the user's git config; hooks and signing are skipped, so saving the work cannot fail on
    /// them). A commit that fails anyway leaves the work where it is and says why in <see cref="ClaudeTaskWorktree.Problem"/>.
    /// </summary>
    public ClaudeTaskWorktree Settle(ClaudeTaskWorktree worktree, bool commit, string message)
    {
        var current = Inspect(worktree);
        if (!commit || !current.HasUncommittedChanges || current.Problem is not null) return current;
        try
        {
            git.Required("Staging the task's changes", worktree.Path, "add", "--all");
            var identity = git.Run(worktree.Path, "config", "--get", "user.email").Succeeded
                ? []
                : new[] { "-c", "user.name=Claude task", "-c", "user.email=claude-task@localhost" };
            git.Required("Committing the task's changes", worktree.Path,
                [.. identity, "commit", "--quiet", "--no-verify", "--no-gpg-sign", "-m", message]);
            return Inspect(worktree);
        }
        catch (ClaudeTaskException e)
        {
            return Inspect(worktree) with { Problem = e.Message + " The changes are still in the worktree, uncommitted." };
        }
    }

    /// <summary>What the worktree and its branch hold now. Never throws: what cannot be read is said in <see cref="ClaudeTaskWorktree.Problem"/>.</summary>
    public ClaudeTaskWorktree Inspect(ClaudeTaskWorktree worktree)
    {
        try
        {
            if (!Directory.Exists(worktree.Path))
            {
                var head = git.Run(worktree.Repository, "rev-parse", "--verify", "--quiet", "refs/heads/" + worktree.Branch);
                var found = head.Succeeded ? head.Stdout.Trim() : null;
                return worktree with
                {
                    HeadCommit = found,
                    CommitsAhead = found is null ? 0 : Ahead(worktree.Repository, worktree.BaseCommit, found),
                    UncommittedFiles = [],
                    UncommittedFileCount = 0,
                    Problem = found is null ? $"The worktree folder and the branch {worktree.Branch} are gone." : "The worktree folder is gone; the branch holds what was committed.",
                };
            }
            var headCommit = git.Required("Reading the worktree's commit", worktree.Path, "rev-parse", "HEAD").Trim();
            var committed = Paths(git.Required("Listing the committed changes", worktree.Path, "diff", "--name-only", "-z", "--no-renames", worktree.BaseCommit, headCommit));
            var uncommitted = Uncommitted(worktree.Path);
            var changed = committed.Union(uncommitted, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            return worktree with
            {
                HeadCommit = headCommit,
                CommitsAhead = Ahead(worktree.Path, worktree.BaseCommit, headCommit),
                ChangedFiles = changed.Take(ClaudeTaskWorktree.MaxListedFiles).ToList(),
                ChangedFileCount = changed.Count,
                UncommittedFiles = uncommitted.Take(ClaudeTaskWorktree.MaxListedFiles).ToList(),
                UncommittedFileCount = uncommitted.Count,
                Problem = null,
            };
        }
        catch (ClaudeTaskException e)
        {
            return worktree with { Problem = e.Message };
        }
    }

    /// <summary>Every path <c>git status</c> reports as changed or untracked (untracked folders listed file by file).</summary>
    public List<string> Uncommitted(string folder)
    {
        var status = git.Required("Reading the worktree's status", folder, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames");
        // Entries are "XY path", each ended by NUL.
        return status.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(entry => entry.Length > 3)
            .Select(entry => entry[3..])
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private int Ahead(string folder, string baseCommit, string head) =>
        int.TryParse(git.Required("Counting the task's commits", folder, "rev-list", "--count", $"{baseCommit}..{head}").Trim(), out var count) ? count : 0;

    private static List<string> Paths(string nulSeparated) => [.. nulSeparated.Split('\0', StringSplitOptions.RemoveEmptyEntries)];
}
