using ClaudeCodeMcp.Engine;

namespace ClaudeCodeMcp;

/// <summary>
/// What a finished task produced, as <c>Receive-Job</c>, <c>Receive-ClaudeTask</c> and <c>Invoke-ClaudeCode</c>
/// return it. Piped into <c>Start-ClaudeTask</c>, its <see cref="SessionId"/> and <see cref="WorkingDirectory"/>
/// continue the session.
/// </summary>
public sealed class ClaudeTaskResult
{
    // Only reference-typed fields: Import-Module loads every public type before the module initializer runs,
    // and a field of an engine value type (an enum) would need the engine before it can be found.
    private readonly ClaudeTaskRecord _record;

    internal ClaudeTaskResult(ClaudeTaskRecord record)
    {
        _record = record;
        TaskId = record.Id;
        Name = record.Name;
        Result = record.Result;
        Error = PowerShellHints.Words.ErrorOf(record);
        SessionId = record.SessionId;
        Model = record.Model ?? record.RequestedModel;
        CostUsd = record.CostUsd;
        NumTurns = record.NumTurns;
        Duration = record.DurationMs is { } ms ? TimeSpan.FromMilliseconds(ms) : record.Elapsed;
        PermissionDenials = record.PermissionDenials.Select(d => d.ToolName).ToArray();
        WorkingDirectory = record.WorkingDirectory;
        StartedAt = record.StartedAt?.LocalDateTime;
        EndedAt = record.EndedAt?.LocalDateTime;
    }

    public string TaskId { get; }
    public string? Name { get; }

    /// <summary>Completed only when the child printed a successful result.</summary>
    public ClaudeTaskState State => _record.State;

    /// <summary>The child's final answer.</summary>
    public string? Result { get; }

    /// <summary>Why the task did not complete.</summary>
    public string? Error { get; }

    public string? SessionId { get; }
    public string? Model { get; }
    public double? CostUsd { get; }
    public int? NumTurns { get; }
    public TimeSpan? Duration { get; }

    /// <summary>Tools the child was refused: a run can complete having done none of its work.</summary>
    public string[] PermissionDenials { get; }

    public string WorkingDirectory { get; }
    public DateTime? StartedAt { get; }
    public DateTime? EndedAt { get; }

    /// <summary>The result text, so <c>"$(Invoke-ClaudeCode 'hi')"</c> reads naturally.</summary>
    public override string ToString() => Result ?? Error ?? "";
}
