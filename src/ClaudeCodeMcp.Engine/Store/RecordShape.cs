namespace ClaudeCodeMcp.Engine.Store;

/// <summary>
/// What a record read from disk must hold before anyone uses it. The serializer accepts <c>null</c> for any field, and
/// every door (and the recovery that writes a record back) takes the record's types at their word: one
/// <c>"permission_denials": null</c> broke list, wait and check for the whole store. So, one rule for every field: a
/// list that is null is empty and the nulls in a list are dropped; a value the record cannot do without (its working
/// directory, a worktree's branch, a process's start time) that is null makes the record unreadable, as if it were
/// missing, with the field named; so does a number the reader took as infinity (<c>1e999</c>), which no writer can
/// write back.
/// </summary>
internal static class RecordShape
{
    /// <summary>The record made whole, or why it cannot be.</summary>
    public static (ClaudeTaskRecord? Record, string? Problem) Check(ClaudeTaskRecord record)
    {
        if (record.PromptPreview is null) return Missing("prompt_preview");
        if (record.WorkingDirectory is null) return Missing("working_directory");
        if (record.Owner is { StartTime: null }) return Missing("owner.start_time");
        if (record.Child is { StartTime: null }) return Missing("child.start_time");
        // 1e999 reads as infinity, which no writer can write back (recovery would throw for the whole list).
        if (record.TimeoutSeconds is { } timeout && !double.IsFinite(timeout)) return NotANumber("timeout_seconds");
        if (record.CostUsd is { } cost && !double.IsFinite(cost)) return NotANumber("cost_usd");
        var worktree = record.Worktree;
        if (worktree is not null)
        {
            if (worktree.Repository is null) return Missing("worktree.repository");
            if (worktree.Path is null) return Missing("worktree.path");
            if (worktree.Branch is null) return Missing("worktree.branch");
            if (worktree.BaseRef is null) return Missing("worktree.base_ref");
            if (worktree.BaseCommit is null) return Missing("worktree.base_commit");
            if (!IsWhole(worktree.ChangedFiles) || !IsWhole(worktree.UncommittedFiles))
                worktree = worktree with { ChangedFiles = Whole(worktree.ChangedFiles), UncommittedFiles = Whole(worktree.UncommittedFiles) };
        }
        var denials = record.PermissionDenials;
        if (denials is null || denials.Any(d => d?.ToolName is null))
            denials = denials?.Where(d => d?.ToolName is not null).ToList() ?? [];
        return ReferenceEquals(denials, record.PermissionDenials) && ReferenceEquals(worktree, record.Worktree)
            ? (record, null)
            : (record with { PermissionDenials = denials, Worktree = worktree }, null);
    }

    private static (ClaudeTaskRecord?, string?) Missing(string field) => (null, $"its {field} is missing");

    private static (ClaudeTaskRecord?, string?) NotANumber(string field) => (null, $"its {field} is not a finite number");

    private static bool IsWhole(IReadOnlyList<string>? list) => list is not null && !list.Contains(null!);

    private static IReadOnlyList<string> Whole(IReadOnlyList<string>? list) =>
        list is null ? [] : IsWhole(list) ? list : list.Where(s => s is not null).ToList();
}
