namespace ClaudeCodeMcp.Engine.Worktrees;

/// <summary>
/// Removes a task's worktree without losing work: the folder goes only when nothing in it is uncommitted (or when forced,
/// which discards and says what), and the branch goes only when it holds no commits beyond the base; otherwise it stays
/// for the user to review and merge. A worktree another task still uses (a resumed session runs in its first task's
/// worktree) is left alone.
/// </summary>
internal static class WorktreeRemoval
{
    /// <summary>Refuses (throws <see cref="ClaudeErrorCode.UncommittedWork"/>) when the worktree holds uncommitted work and the removal is not forced.</summary>
    public static ClaudeTaskWorktree Check(TaskWorktrees worktrees, string taskId, ClaudeTaskWorktree worktree, bool force)
    {
        var current = worktrees.Inspect(worktree);
        if (force || !Directory.Exists(worktree.Path)) return current;
        if (current.Problem is not null)
        {
            throw new ClaudeTaskException(ClaudeErrorCode.UncommittedWork,
                $"Task {taskId}'s worktree '{worktree.Path}' could not be checked for uncommitted work ({current.Problem}), so it was not removed. "
                + "Look at it yourself, then remove the task with force to delete the folder.")
            { TaskId = taskId, Hint = ClaudeHint.ForceRemove };
        }
        if (current.HasUncommittedChanges)
        {
            throw new ClaudeTaskException(ClaudeErrorCode.UncommittedWork,
                $"Task {taskId}'s worktree '{worktree.Path}' has uncommitted changes to {Files(current.UncommittedFiles, current.UncommittedFileCount)}, so nothing was removed. "
                + $"Commit or copy them (git -C '{worktree.Path}' status shows them), or remove the task with force to discard them.")
            { TaskId = taskId, Hint = ClaudeHint.ForceRemove };
        }
        return current;
    }

    /// <summary>Deletes the worktree folder and, when it holds nothing beyond the base, the branch; <paramref name="current"/> comes from <see cref="Check"/>.</summary>
    public static ClaudeTaskRemoval Remove(TaskWorktrees worktrees, string taskId, ClaudeTaskWorktree current, string? usedBy)
    {
        if (usedBy is not null)
        {
            return new ClaudeTaskRemoval
            {
                TaskId = taskId,
                Worktree = current,
                Message = $"Task {taskId} was removed. Its worktree '{current.Path}' and branch {current.Branch} were kept: task {usedBy} works in them too.",
            };
        }
        var git = worktrees.Git;
        var discarded = current.UncommittedFiles;
        var discardedCount = current.UncommittedFileCount;
        var repositoryThere = Directory.Exists(current.Repository);
        if (Directory.Exists(current.Path))
        {
            var removed = repositoryThere ? git.Run(current.Repository, "worktree", "remove", "--force", "--force", current.Path) : null;
            if (removed is not { Succeeded: true })
            {
                // The repository is gone (or git refused a worktree it no longer knows): the folder is only a folder now.
                Directory.Delete(current.Path, recursive: true);
            }
        }
        if (repositoryThere) git.Run(current.Repository, "worktree", "prune");
        TryDeleteEmpty(Path.GetDirectoryName(current.Path)!);

        var branchDeleted = false;
        var branchFound = false;
        var ahead = 0;
        if (repositoryThere && git.Run(current.Repository, "rev-parse", "--verify", "--quiet", "refs/heads/" + current.Branch) is { Succeeded: true } head)
        {
            branchFound = true;
            var branchHead = head.Stdout.Trim();
            ahead = int.TryParse(git.Run(current.Repository, "rev-list", "--count", $"{current.BaseCommit}..{branchHead}").Stdout.Trim(), out var n) ? n : 1;
            if (ahead == 0) branchDeleted = git.Run(current.Repository, "branch", "--quiet", "-D", current.Branch).Succeeded;
        }

        var message = $"Task {taskId} was removed with its worktree";
        if (discardedCount > 0) message += $"; its uncommitted changes to {Files(discarded, discardedCount)} were discarded";
        message += !branchFound
            ? $"; its branch {current.Branch} was already gone."
            : branchDeleted
            ? $"; its branch {current.Branch} held nothing beyond the base and was deleted."
            : $". Its branch {current.Branch} holds {Plural(ahead, "commit")} beyond the base and was kept: review it with "
              + $"`git diff {current.ShortBase}...{current.Branch}` in '{current.Repository}', merge it, or delete it with `git branch -D {current.Branch}`.";
        return new ClaudeTaskRemoval
        {
            TaskId = taskId,
            Worktree = current,
            WorktreeDeleted = true,
            BranchDeleted = branchDeleted,
            DiscardedFiles = discarded,
            DiscardedFileCount = discardedCount,
            Message = message,
        };
    }

    internal static string Files(IReadOnlyList<string> named, int count)
    {
        var shown = string.Join(", ", named.Take(5));
        return count <= 5 ? $"{Plural(count, "file")} ({shown})" : $"{Plural(count, "file")} ({shown} and {count - 5} more)";
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static void TryDeleteEmpty(string folder)
    {
        try
        {
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
        }
        catch (IOException)
        {
            // Someone put something there meanwhile: it stays.
        }
    }
}
