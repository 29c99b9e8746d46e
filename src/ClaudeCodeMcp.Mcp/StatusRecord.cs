using System.Globalization;
using ClaudeCodeMcp.Engine;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// A task as the model sees it. Claude Code hands the model only the structured content, so the record
/// must say everything on its own, <see cref="Message"/> above all: what happened and what to call next.
/// </summary>
public sealed record StatusRecord
{
    public required string TaskId { get; init; }
    public string? Name { get; init; }
    public required string Status { get; init; }
    public string? Result { get; init; }
    public bool ResultTruncated { get; init; }
    public string? Error { get; init; }
    public string? SessionId { get; init; }
    public string? Model { get; init; }
    public string? WorkingDir { get; init; }
    public double? CostUsd { get; init; }
    public int? NumTurns { get; init; }
    public long? DurationMs { get; init; }
    public string? StartedAt { get; init; }
    public string? EndedAt { get; init; }
    public string? Activity { get; init; }
    public IReadOnlyList<string> PermissionDenials { get; init; } = [];
    public ClaudeTokenUsage? Usage { get; init; }

    /// <summary>The answer fitted to json_schema, as compact JSON text (written into the record as the object itself).</summary>
    public string? StructuredOutput { get; init; }

    public string? LastOutputAt { get; init; }

    /// <summary>How many times the child was started (more than once when it was retried).</summary>
    public int Attempts { get; init; }
    public ClaudeTaskWorktree? Worktree { get; init; }
    public int Depth { get; init; }
    public required string Message { get; init; }

    /// <summary>The record's members, once: they give the output schema and write each record.</summary>
    internal static ResultShape<StatusRecord> Shape { get; } = new(
        ResultField.String<StatusRecord>("task_id", r => r.TaskId, "The task's id."),
        ResultField.NullableString<StatusRecord>("name", r => r.Name),
        ResultField.Choice<StatusRecord>("status", r => r.Status, Enum.GetValues<ClaudeTaskState>().Select(s => s.ToWireName()).ToArray()),
        ResultField.NullableString<StatusRecord>("result", r => r.Result, "The child's final answer (only when it printed one)."),
        ResultField.Boolean<StatusRecord>("result_truncated", r => r.ResultTruncated),
        ResultField.NullableString<StatusRecord>("error", r => r.Error, "Why the task did not complete."),
        ResultField.NullableString<StatusRecord>("session_id", r => r.SessionId),
        ResultField.NullableString<StatusRecord>("model", r => r.Model),
        ResultField.NullableString<StatusRecord>("working_dir", r => r.WorkingDir),
        ResultField.NullableNumber<StatusRecord>("cost_usd", r => r.CostUsd),
        ResultField.NullableInteger<StatusRecord>("num_turns", r => r.NumTurns),
        ResultField.NullableInteger<StatusRecord>("duration_ms", r => r.DurationMs),
        ResultField.NullableString<StatusRecord>("started_at", r => r.StartedAt),
        ResultField.NullableString<StatusRecord>("ended_at", r => r.EndedAt),
        ResultField.NullableString<StatusRecord>("activity", r => r.Activity, "While running: what the child is doing now; while queued, what it waits for."),
        ResultField.Strings<StatusRecord>("permission_denials", r => r.PermissionDenials, "Tools the child was refused."),
        ResultField.NullableObject<StatusRecord, ClaudeTokenUsage>("usage", r => r.Usage, TokenUsageShape.Shape, "The tokens the run used (when it ended with a result)."),
        ResultField.NullableJsonObject<StatusRecord>("structured_output", r => r.StructuredOutput,
            "With json_schema: the child's answer as an object fitting the schema (left out when longer than the result may be; "
            + "the result then holds its JSON text, cut, and claude_code_get_output the whole)."),
        ResultField.NullableString<StatusRecord>("last_output_at", r => r.LastOutputAt, "When the child last printed anything."),
        ResultField.Integer<StatusRecord>("attempts", r => r.Attempts,
            "How many times the child was started: more than 1 when max_retries ran it again after a rate limit, an overload or a server error."),
        ResultField.NullableObject<StatusRecord, ClaudeTaskWorktree>("worktree", r => r.Worktree, WorktreeShape.Shape,
            "With isolation 'worktree': the worktree and branch the task works in, and what its branch holds."),
        ResultField.Integer<StatusRecord>("depth", r => r.Depth),
        ResultField.String<StatusRecord>("message", r => r.Message, "What happened and what to call next."));

    /// <summary>
    /// How many file names a brief record's worktree lists of each kind: fifty tasks of a hundred names each would
    /// crowd the rest out of a list, and the counts stay whole, so claude_code_check_result shows the rest.
    /// </summary>
    public const int BriefListedFiles = 10;

    /// <summary>
    /// The record of a task, with its result cut to <paramref name="maxResultChars"/>. A <paramref name="brief"/>
    /// record (one of many in a list) also cuts its error and its worktree's file lists, and says less in its message.
    /// </summary>
    public static StatusRecord From(ClaudeTaskRecord task, int maxResultChars, bool brief = false)
    {
        var result = task.Result;
        var truncated = result is not null && result.Length > maxResultChars;
        if (truncated) result = result![..maxResultChars] + "…";
        var error = ToolHints.Words.ErrorOf(task);
        if (brief && error is { Length: var length } && length > maxResultChars) error = error[..maxResultChars] + "…";
        var status = task.State.ToWireName();
        return new StatusRecord
        {
            TaskId = task.Id,
            Name = task.Name,
            Status = status,
            Result = result,
            ResultTruncated = truncated,
            Error = error,
            SessionId = task.SessionId,
            Model = task.Model ?? task.RequestedModel,
            WorkingDir = task.WorkingDirectory.Length > 0 ? task.WorkingDirectory : null,
            CostUsd = task.CostUsd,
            NumTurns = task.NumTurns,
            DurationMs = task.DurationMs ?? (long?)task.Elapsed?.TotalMilliseconds,
            StartedAt = task.StartedAt?.ToString("O", CultureInfo.InvariantCulture),
            EndedAt = task.EndedAt?.ToString("O", CultureInfo.InvariantCulture),
            Activity = task.State switch
            {
                ClaudeTaskState.Running => task.Activity?.Describe() ?? "starting",
                ClaudeTaskState.Queued => task.Activity?.Waiting,
                _ => null,
            },
            PermissionDenials = task.PermissionDenials.Select(d => d.ToolName).ToList(),
            Usage = task.Usage,
            StructuredOutput = task.StructuredOutput is { Length: var size } structured && size <= maxResultChars ? structured : null,
            LastOutputAt = task.LastOutputAt?.ToString("O", CultureInfo.InvariantCulture),
            Attempts = task.Attempts,
            Worktree = brief ? Shorten(task.Worktree) : task.Worktree,
            Depth = task.Depth,
            Message = brief ? StatusMessage.Brief(task, truncated) : StatusMessage.For(task, truncated),
        };
    }

    private static ClaudeTaskWorktree? Shorten(ClaudeTaskWorktree? worktree) => worktree is null ? null : worktree with
    {
        ChangedFiles = worktree.ChangedFiles.Take(BriefListedFiles).ToList(),
        UncommittedFiles = worktree.UncommittedFiles.Take(BriefListedFiles).ToList(),
    };
}
