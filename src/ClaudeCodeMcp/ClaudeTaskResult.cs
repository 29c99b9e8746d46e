using ClaudeCodeMcp.Engine;

namespace ClaudeCodeMcp;

/// <summary>
/// What a finished task produced, as <c>Receive-Job</c>, <c>Receive-ClaudeTask</c> and <c>Invoke-ClaudeCode</c>
/// return it. Piped into <c>Start-ClaudeTask</c>, its <see cref="SessionId"/> and <see cref="WorkingDirectory"/>
/// continue the session. Reads well as JSON and CSV too: the state is its name, the duration a number, the refused
/// tools an array (comma-separated text in CSV), the worktree an object (one line of text in CSV, beside its Branch).
/// </summary>
public sealed class ClaudeTaskResult
{
    // No member of an engine type: Import-Module loads every public type before the module initializer runs, and an
    // engine type would need the engine before it can be found.
    internal ClaudeTaskResult(ClaudeTaskRecord record)
    {
        TaskId = record.Id;
        State = record.State.ToString();
        Name = record.Name;
        Result = record.Result;
        Error = PowerShellHints.Words.ErrorOf(record);
        SessionId = record.SessionId;
        Model = record.Model ?? record.RequestedModel;
        CostUsd = record.CostUsd;
        NumTurns = record.NumTurns;
        DurationMs = record.DurationMs ?? (long?)record.Elapsed?.TotalMilliseconds;
        PermissionDenials = ToolList.DeniedIn(record);
        Usage = TokenUsage.Of(record);
        Attempts = record.Attempts;
        StructuredOutput = record.StructuredOutput is { } structured ? PowerShellJson.FromJsonText(structured) : null;
        WorkingDirectory = record.WorkingDirectory;
        Worktree = TaskWorktree.Of(record);
        StartedAt = record.StartedAt?.LocalDateTime;
        EndedAt = record.EndedAt?.LocalDateTime;
    }

    public string TaskId { get; }
    public string? Name { get; }

    /// <summary>Completed only when the child printed a successful result; else Failed, Cancelled or TimedOut.</summary>
    public string State { get; }

    /// <summary>The child's final answer.</summary>
    public string? Result { get; }

    /// <summary>Why the task did not complete.</summary>
    public string? Error { get; }

    public string? SessionId { get; }
    public string? Model { get; }
    public double? CostUsd { get; }
    public int? NumTurns { get; }
    /// <summary>How long the run took, in milliseconds.</summary>
    public long? DurationMs { get; }

    /// <summary>Tools the child was refused: a run can complete having done none of its work.</summary>
    public ToolList PermissionDenials { get; }

    /// <summary>The tokens the run used, by kind; null when the child reported none.</summary>
    public TokenUsage? Usage { get; }

    /// <summary>How many times the child was started: more than 1 when -MaxRetries ran it again after a rate limit, an overload or a server error.</summary>
    public int Attempts { get; }

    /// <summary>
    /// With -JsonSchema: the answer fitting the schema, as objects (<c>$r.StructuredOutput.files</c>), as ConvertFrom-Json
    /// would give it; null without a schema.
    /// </summary>
    public object? StructuredOutput { get; }

    /// <summary>Where the child worked: for a worktree task, the worktree's folder.</summary>
    public string WorkingDirectory { get; }

    /// <summary>The branch that holds a worktree task's work (<c>claude-task/&lt;task id&gt;</c>); null without isolation.</summary>
    public string? Branch => Worktree?.Branch;

    /// <summary>The git worktree the task ran in, its branch and what changed; null without isolation.</summary>
    public TaskWorktree? Worktree { get; }

    public DateTime? StartedAt { get; }
    public DateTime? EndedAt { get; }

    /// <summary>The result text, so <c>"$(Invoke-ClaudeCode 'hi')"</c> reads naturally.</summary>
    public override string ToString() => Result ?? Error ?? "";
}
