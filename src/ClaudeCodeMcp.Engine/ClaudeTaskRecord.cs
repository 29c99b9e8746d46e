using System.Text.Json.Serialization;
using ClaudeCodeMcp.Engine.Processes;

namespace ClaudeCodeMcp.Engine;

/// <summary>
/// An immutable snapshot of one task, as persisted in its folder and as every door renders it.
/// </summary>
public sealed record ClaudeTaskRecord
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    public ClaudeTaskState State { get; init; }

    /// <summary>The first characters of the prompt (the whole prompt is kept beside the record).</summary>
    public required string PromptPreview { get; init; }

    public required string WorkingDirectory { get; init; }

    /// <summary>The model asked for, if any.</summary>
    public string? RequestedModel { get; init; }

    /// <summary>The model the child reported in its init event.</summary>
    public string? Model { get; init; }

    public string? PermissionMode { get; init; }
    public bool SkipPermissions { get; init; }
    public string? ResumeSessionId { get; init; }
    public double? TimeoutSeconds { get; init; }

    public string? SessionId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The child's final result text, when it printed one.</summary>
    public string? Result { get; init; }

    /// <summary>Why the task did not complete, in words a person understands.</summary>
    public string? Error { get; init; }

    public string? ResultSubtype { get; init; }
    public string? TerminalReason { get; init; }
    public int? ApiErrorStatus { get; init; }
    public double? CostUsd { get; init; }
    public int? NumTurns { get; init; }
    public long? DurationMs { get; init; }
    public int? ExitCode { get; init; }
    public IReadOnlyList<ClaudePermissionDenial> PermissionDenials { get; init; } = [];

    /// <summary>The tokens the run used, from the child's result event.</summary>
    public ClaudeTokenUsage? Usage { get; init; }

    /// <summary>
    /// The answer fitted to the task's JSON schema, as compact JSON text (text, so the store's source-generated JSON
    /// keeps it exactly as the child gave it); null without a schema.
    /// </summary>
    public string? StructuredOutput { get; init; }

    /// <summary>When the child last printed anything on stdout: a quiet child for long is worth a look.</summary>
    public DateTimeOffset? LastOutputAt { get; init; }

    public ClaudeTaskActivity? Activity { get; init; }

    /// <summary>How many times the child was started: 1 for a task that ran once, more when it was retried; 0 before its first start.</summary>
    public int Attempts { get; init; }

    /// <summary>How many retries the task may have (<see cref="ClaudeTaskSpec.MaxRetries"/>); 0 without.</summary>
    public int MaxRetries { get; init; }

    /// <summary>While a task waits to run again after a rate limit, an overload or a server error: when it will.</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>The git worktree the task runs in, and what its branch holds (null without isolation).</summary>
    public ClaudeTaskWorktree? Worktree { get; init; }

    /// <summary>How deep the child runs: 1 for a task started outside any task (<see cref="TaskNesting"/>).</summary>
    public int Depth { get; init; }

    /// <summary>The process that started the task and watches its child.</summary>
    public ProcessIdentity? Owner { get; init; }

    /// <summary>The child <c>claude</c> process while it runs.</summary>
    public ProcessIdentity? Child { get; init; }

    /// <summary>Set when the record on disk could not be read; <see cref="Error"/> says why.</summary>
    /// <remarks>The reader's verdict, never stored: a file that said it of itself would be skipped by recovery, so a
    /// "running" record marked so would stay running for good.</remarks>
    [JsonIgnore]
    public bool Unreadable { get; init; }

    /// <summary>What the user can do about the task's end (derived from the record, so old records get it too).</summary>
    [JsonIgnore]
    public ClaudeHint Hint => ClaudeTaskOutcome.HintFor(this);

    [JsonIgnore]
    public bool IsFinished => State.IsFinished();

    /// <summary>
    /// Finished, with no child left to stop: nothing about it changes by itself. A task finished by its owner's
    /// shutdown keeps its child's identity until the child is gone, so a later reader can stop it should the owner die first.
    /// </summary>
    [JsonIgnore]
    public bool IsSettled => IsFinished && Child is null;

    /// <summary>Time spent running so far, or in all.</summary>
    [JsonIgnore]
    public TimeSpan? Elapsed => StartedAt is { } start ? (EndedAt ?? DateTimeOffset.UtcNow) - start : null;
}
