namespace ClaudeCodeMcp.Engine.Options;

/// <summary>
/// The task options that have limits, each described once: <see cref="ClaudeArguments.Validate"/> enforces these,
/// the cmdlets validate and complete their parameters from them, and the MCP tools write their input schemas and
/// descriptions from them. Adding an option is one entry here plus one line per door. Keyed by the name of the
/// <see cref="ClaudeTaskSpec"/> property each one limits.
/// </summary>
public static class TaskOptionRules
{
    /// <summary>
    /// 30 days. A timeout is a guard against a run that goes on too long, and long unattended runs are legitimate (a
    /// migration left over a long weekend or a holiday), so the ceiling must not get in their way; but a value beyond a
    /// month is almost surely a slip of units (milliseconds typed as seconds), worth a refusal rather than a task that
    /// never times out. It also stays inside what the runtime's timers take (about 49 days).
    /// </summary>
    public static TaskOptionRule Timeout { get; } = new()
    {
        Summary = "Stops the task as timed_out when it has run this many seconds (default: no limit).",
        Minimum = 0,
        MinimumExclusive = true,
        Maximum = TimeSpan.FromDays(30).TotalSeconds,
        Unit = "seconds",
        MaximumInWords = "30 days",
    };

    public static TaskOptionRule MaxTurns { get; } = new()
    {
        Summary = "Ends the session after this many agent turns.",
        Minimum = 1,
        Maximum = int.MaxValue,
    };

    /// <summary>Up to a million dollars: a cap nobody means to reach, which keeps every value exact as a decimal.</summary>
    public static TaskOptionRule MaxBudgetUsd { get; } = new()
    {
        Summary = "Ends the session when it has spent this many US dollars.",
        Minimum = 0,
        MinimumExclusive = true,
        Maximum = 1_000_000,
        Unit = "US dollars",
    };

    /// <summary>The values of the CLI's <c>--permission-mode</c> that SURFACE.md offers.</summary>
    public static TaskOptionRule PermissionMode { get; } = new()
    {
        Summary = "The child's permission mode.",
        Choices = ["default", "acceptEdits", "plan", "auto", "dontAsk", "bypassPermissions"],
    };

    /// <summary>The levels of the CLI's <c>--effort</c> (2.1.331).</summary>
    public static TaskOptionRule Effort { get; } = new()
    {
        Summary = "How much effort the child's model spends thinking.",
        Choices = ["low", "medium", "high", "xhigh", "max"],
    };

    /// <summary>
    /// Ten: each retry waits for the API (up to a usage limit's reset), so more would keep a task waiting most of a day;
    /// past ten, the limit is not going away and the user had better know.
    /// </summary>
    public static TaskOptionRule MaxRetries { get; } = new()
    {
        Summary = "Starts the task again on its session, up to this many times, when it ends on a rate limit, an overload or a server error "
            + "of the Claude API, after the time the API asked for or a growing wait (default 0: never).",
        Minimum = 0,
        Maximum = 10,
    };

    /// <summary>Every rule, by the name of the spec property it limits.</summary>
    public static IReadOnlyDictionary<string, TaskOptionRule> All { get; } = new Dictionary<string, TaskOptionRule>(StringComparer.Ordinal)
    {
        [nameof(ClaudeTaskSpec.Timeout)] = Timeout,
        [nameof(ClaudeTaskSpec.MaxTurns)] = MaxTurns,
        [nameof(ClaudeTaskSpec.MaxBudgetUsd)] = MaxBudgetUsd,
        [nameof(ClaudeTaskSpec.PermissionMode)] = PermissionMode,
        [nameof(ClaudeTaskSpec.Effort)] = Effort,
        [nameof(ClaudeTaskSpec.MaxRetries)] = MaxRetries,
    };
}
