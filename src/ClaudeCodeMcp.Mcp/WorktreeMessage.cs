using ClaudeCodeMcp.Engine;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// What a finished worktree task's message adds: where its work is and how to look at it, so the model can review,
/// merge and then remove it without reading the <c>worktree</c> member field by field. Empty for a task without a
/// worktree, and while a task runs (its work is not done yet).
/// </summary>
internal static class WorktreeMessage
{
    /// <summary>A sentence (with a leading space) for the full message of a finished task; empty when there is nothing to say.</summary>
    public static string For(ClaudeTaskRecord task)
    {
        if (task.Worktree is not { } w || !task.IsFinished || task.Unreadable) return "";
        var where = task.State == ClaudeTaskState.Completed ? Completed(w) : Kept(w);
        return where + Problem(w);
    }

    /// <summary>A clause (with a leading space) for a record in a list: which branch has the work, or that changes wait uncommitted.</summary>
    public static string Brief(ClaudeTaskRecord task)
    {
        if (task.Worktree is not { } w || !task.IsFinished || task.Unreadable) return "";
        if (w.HasUncommittedChanges) return $" Its worktree holds uncommitted changes to {Files(w.UncommittedFiles, w.UncommittedFileCount)}.";
        return w.CommitsAhead > 0 ? $" Its work is on branch {w.Branch}." : "";
    }

    private static string Completed(ClaudeTaskWorktree w)
    {
        if (w.CommitsAhead > 0)
        {
            var left = w.HasUncommittedChanges ? $" {Files(w.UncommittedFiles, w.UncommittedFileCount)} stayed uncommitted in the worktree at {w.Path}." : "";
            return $" Its work is committed on branch {w.Branch} in {w.Repository}: review it with `{w.ReviewCommand}`, merge it, then claude_code_remove it.{left}";
        }
        if (w.HasUncommittedChanges)
        {
            return $" Its changes to {Files(w.UncommittedFiles, w.UncommittedFileCount)} are uncommitted in the worktree at {w.Path} (branch {w.Branch}): "
                + "commit or copy them, then claude_code_remove it.";
        }
        return " It changed no files; claude_code_remove it to delete its worktree.";
    }

    /// <summary>A failed, cancelled or timed-out task: its worktree is kept as it was, whatever it holds.</summary>
    private static string Kept(ClaudeTaskWorktree w)
    {
        var commits = w.CommitsAhead > 0 ? $"its branch {w.Branch} holds {Count(w.CommitsAhead, "commit")} (`{w.ReviewCommand}` in {w.Repository})" : null;
        if (w.HasUncommittedChanges)
        {
            var and = commits is null ? "" : $", and {commits}";
            return $" Its worktree at {w.Path} keeps the uncommitted changes to {Files(w.UncommittedFiles, w.UncommittedFileCount)} for inspection{and}; "
                + "claude_code_remove with force: true discards them.";
        }
        return commits is not null
            ? $" {char.ToUpperInvariant(commits[0])}{commits[1..]}; claude_code_remove deletes its worktree and keeps the branch."
            : " Its worktree holds no changes; claude_code_remove deletes it.";
    }

    private static string Problem(ClaudeTaskWorktree w) =>
        w.Problem is { } problem ? $" Worktree problem: {problem.TrimEnd().TrimEnd('.')}." : "";

    /// <summary>"1 file (a.txt)", "7 files (a, b, c and 4 more)": the count is whole, the names the first few.</summary>
    private static string Files(IReadOnlyList<string> names, int count)
    {
        var shown = names.Take(3).ToList();
        if (shown.Count == 0) return Count(count, "file");
        var more = count > shown.Count ? $" and {count - shown.Count} more" : "";
        return $"{Count(count, "file")} ({string.Join(", ", shown)}{more})";
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
