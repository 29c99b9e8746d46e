namespace ClaudeCodeMcp.Engine;

/// <summary>Settings of one <see cref="ClaudeTaskManager"/>.</summary>
public sealed record ClaudeEngineOptions
{
    /// <summary>The task store; default: <see cref="Store.StateDirectory.Default"/>.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>The <c>claude</c> executable; default: <c>CLAUDE_CODE_PATH</c>, then <c>PATH</c>.</summary>
    public string? ClaudePath { get; init; }

    /// <summary>At most this many children run at once; the rest wait, first in first out.</summary>
    public int ThrottleLimit { get; init; } = 4;

    /// <summary>Between SIGTERM and killing the whole tree.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Between SIGTERM and killing the tree when the engine itself shuts down. Short: Claude Code ends a
    /// -p run by sending its stdio MCP servers SIGINT, SIGTERM 0.1 s later and SIGKILL about 0.5 s after the
    /// SIGINT, and every child must be stopped and recorded before that, on a busy machine too.
    /// </summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a child that printed its result may take to exit before it is stopped.</summary>
    public TimeSpan ResultExitGracePeriod { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Variables set for every child (a task's own <see cref="ClaudeTaskSpec.Environment"/> wins).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// At most this many children alive at once across every process sharing the state folder; the rest stay queued.
    /// Default: <c>CLAUDE_CODE_MCP_MAX_CHILDREN</c> of the environment the children inherit, else 16.
    /// </summary>
    public int? MaxChildren { get; init; }

    /// <summary>
    /// The deepest this engine starts tasks from (<see cref="TaskNesting"/>); default: <c>CLAUDE_CODE_MCP_MAX_DEPTH</c> of
    /// the environment the children inherit, else 1.
    /// </summary>
    public int? MaxDepth { get; init; }

    /// <summary>
    /// New starts are refused once the tasks of the store started in the last 24 hours have cost this many US dollars
    /// (<see cref="SpendGuard"/>); default: <c>CLAUDE_CODE_MCP_DAILY_BUDGET_USD</c> of the environment the children
    /// inherit, else no budget.
    /// </summary>
    public double? DailyBudgetUsd { get; init; }

    /// <summary>A child whose stream log grows past this many bytes is stopped and fails ("output limit"); default 1 GiB.</summary>
    public long MaxStreamLogBytes { get; init; } = TaskLimits.MaxStreamLogBytes;

    /// <summary>At most this many tasks of this engine wait for a slot at once; more are refused; default 1,000.</summary>
    public int MaxQueuedTasks { get; init; } = TaskLimits.MaxQueuedTasks;

    /// <summary>
    /// The first wait of a retried task when the API named none (<see cref="ClaudeTaskSpec.MaxRetries"/>); each further
    /// retry waits twice as long, with jitter, up to <see cref="RetryMaxDelay"/>. Default 15 s.
    /// </summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest backoff between two runs of a retried task (a reset time the API gives can be later). Default 10 min.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The environment the children inherit; default: this process's. Tests pass their own.</summary>
    public IReadOnlyDictionary<string, string>? BaseEnvironment { get; init; }
}
