using System.Globalization;
using System.Text.Json.Serialization;
using ClaudeCodeMcp.Engine;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// A task as the model sees it. Claude Code hands the model only the structured content, so the record
/// must say everything on its own, <see cref="Message"/> above all: what happened and what to call next.
/// </summary>
public sealed record StatusRecord
{
    [JsonPropertyName("task_id")] public required string TaskId { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("result")] public string? Result { get; init; }
    [JsonPropertyName("result_truncated")] public bool ResultTruncated { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("model")] public string? Model { get; init; }
    [JsonPropertyName("working_dir")] public string? WorkingDir { get; init; }
    [JsonPropertyName("cost_usd")] public double? CostUsd { get; init; }
    [JsonPropertyName("num_turns")] public int? NumTurns { get; init; }
    [JsonPropertyName("duration_ms")] public long? DurationMs { get; init; }
    [JsonPropertyName("started_at")] public string? StartedAt { get; init; }
    [JsonPropertyName("ended_at")] public string? EndedAt { get; init; }
    [JsonPropertyName("activity")] public string? Activity { get; init; }
    [JsonPropertyName("permission_denials")] public IReadOnlyList<string> PermissionDenials { get; init; } = [];
    [JsonPropertyName("message")] public required string Message { get; init; }

    /// <summary>
    /// The record of a task, with its result cut to <paramref name="maxResultChars"/>. A <paramref name="brief"/>
    /// record (one of many in a list) also cuts its error and says less in its message.
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
            Activity = task.State == ClaudeTaskState.Running ? task.Activity?.Describe() ?? "starting" : null,
            PermissionDenials = task.PermissionDenials.Select(d => d.ToolName).ToList(),
            Message = brief ? StatusMessage.Brief(task, truncated) : StatusMessage.For(task, truncated),
        };
    }
}
