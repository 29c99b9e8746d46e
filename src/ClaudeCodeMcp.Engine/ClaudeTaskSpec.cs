namespace ClaudeCodeMcp.Engine;

/// <summary>What a door asks the engine to run: one prompt for one child <c>claude -p</c> session.</summary>
public sealed record ClaudeTaskSpec
{
    /// <summary>The prompt; written to the child's stdin, never to its command line.</summary>
    public required string Prompt { get; init; }

    /// <summary>The child's working directory; it must exist.</summary>
    public required string WorkingDirectory { get; init; }

    public string? Name { get; init; }
    public string? Model { get; init; }

    /// <summary>One of the choices of <see cref="Options.TaskOptionRules.PermissionMode"/>.</summary>
    public string? PermissionMode { get; init; }

    public bool SkipPermissions { get; init; }
    public IReadOnlyList<string> AllowedTools { get; init; } = [];
    public IReadOnlyList<string> DisallowedTools { get; init; } = [];
    public int? MaxTurns { get; init; }
    public decimal? MaxBudgetUsd { get; init; }
    public string? AppendSystemPrompt { get; init; }
    public IReadOnlyList<string> McpConfig { get; init; } = [];
    public IReadOnlyList<string> AddDirectories { get; init; } = [];

    /// <summary>A session id to continue (<c>--resume=&lt;id&gt;</c>).</summary>
    public string? ResumeSessionId { get; init; }

    /// <summary>With a resume: continue in a new session id, leaving the original intact (<c>--fork-session</c>).</summary>
    public bool ForkSession { get; init; }

    /// <summary>Models to fall back to when the model is overloaded, in order, comma-separated (<c>--fallback-model</c>).</summary>
    public string? FallbackModel { get; init; }

    /// <summary>One of the choices of <see cref="Options.TaskOptionRules.Effort"/> (<c>--effort</c>).</summary>
    public string? Effort { get; init; }

    /// <summary>Replaces the child's system prompt (<c>--system-prompt</c>); <see cref="AppendSystemPrompt"/> adds to it.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>A settings file (relative paths from the working directory) or JSON text (<c>--settings</c>).</summary>
    public string? Settings { get; init; }

    /// <summary>Custom subagents as a JSON object (<c>--agents</c>).</summary>
    public string? Agents { get; init; }

    /// <summary>
    /// A JSON schema (JSON text of an object) the child's answer must fit (<c>--json-schema</c>); the answer then comes back
    /// as <see cref="ClaudeTaskRecord.StructuredOutput"/>, and a run that ends without one is failed.
    /// </summary>
    public string? JsonSchema { get; init; }

    /// <summary>
    /// <see cref="ClaudeIsolation.Worktree"/> runs the child in a new git worktree of the working directory's repository.
    /// Null means none, except that a session resumed from a worktree task runs in that task's worktree again.
    /// </summary>
    public ClaudeIsolation? Isolation { get; init; }

    /// <summary>With a worktree: the commit-ish its branch starts from (default <c>HEAD</c>).</summary>
    public string? BaseRef { get; init; }

    /// <summary>With a worktree: commit what a completed child left uncommitted on its branch (the default).</summary>
    public bool Commit { get; init; } = true;

    /// <summary>
    /// How many times a run that ends on a rate limit, an overload or a server error is started again on its session
    /// (<see cref="Retries.RetryableEnd"/>); 0, the default, never. See <see cref="Options.TaskOptionRules.MaxRetries"/>.
    /// </summary>
    public int MaxRetries { get; init; }

    /// <summary>Ends the task as <c>timed_out</c> this long after it started running (waits between runs count).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Overrides the engine's <c>claude</c> for this task.</summary>
    public string? ClaudePath { get; init; }

    /// <summary>
    /// The environment the child starts from, instead of the engine's (a shell passes its current one, so a
    /// variable removed since the engine started is not passed on). A parent Claude Code session's
    /// variables are removed from it all the same. Never persisted.
    /// </summary>
    public IReadOnlyDictionary<string, string>? InheritedEnvironment { get; init; }

    /// <summary>Extra environment variables for the child. Never persisted: values may be secrets.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
