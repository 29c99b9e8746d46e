namespace ClaudeCodeMcp.Tests.Shared;

/// <summary>
/// One value of a task option given to a door, and whether every door must accept it. The module's tests feed these
/// to the cmdlets and the MCP tests to the tools, each asserting the same verdict, so the doors accept and refuse
/// exactly the same values. A refusal's message must contain <see cref="Says"/>.
/// </summary>
/// <param name="Parameter">The cmdlet parameter (the name of the spec property).</param>
/// <param name="Argument">The MCP argument.</param>
public sealed record TaskOptionBoundary(string Parameter, string Argument, object Value, bool Accepted, string? Says = null)
{
    public override string ToString() => $"{Parameter} {Value} ({(Accepted ? "accepted" : "refused")})";
}

/// <summary>
/// The boundary values of every task option with limits: just inside, just outside, a wrong choice, a blank one. Values
/// are as each door receives them after its language's own conversions: PowerShell binds 2.5 to an [int] parameter as
/// 2, as it does for every cmdlet, while JSON keeps 2.5, which the schema's "integer" refuses; neither is the engine's rule.
/// </summary>
public static class TaskOptionBoundaries
{
    private const string TimeoutLimits = "more than 0 and at most 2592000 seconds (30 days)";
    private const string TurnsLimits = "at least 1 and at most 2147483647";
    private const string BudgetLimits = "more than 0 and at most 1000000 US dollars";
    private const string ModeLimits = "one of: default, acceptEdits, plan, auto, dontAsk, bypassPermissions";
    private const string EffortLimits = "one of: low, medium, high, xhigh, max";
    private const string RetriesLimits = "at least 0 and at most 10";

    public static IReadOnlyList<TaskOptionBoundary> All { get; } =
    [
        new("Timeout", "timeout", 0.001, true),
        new("Timeout", "timeout", 2_592_000.0, true),
        new("Timeout", "timeout", 0.0, false, TimeoutLimits),
        new("Timeout", "timeout", -1.0, false, TimeoutLimits),
        new("Timeout", "timeout", 2_592_000.5, false, TimeoutLimits),
        new("Timeout", "timeout", 31_536_000.0, false, TimeoutLimits), // the cmdlets' old ceiling (365 days)
        new("MaxTurns", "max_turns", 1, true),
        new("MaxTurns", "max_turns", int.MaxValue, true),
        new("MaxTurns", "max_turns", 0, false, TurnsLimits),
        new("MaxTurns", "max_turns", -3, false, TurnsLimits),
        new("MaxTurns", "max_turns", 2_147_483_648L, false, "2147483648"),
        new("MaxBudgetUsd", "max_budget_usd", 0.01, true),
        new("MaxBudgetUsd", "max_budget_usd", 1_000_000.0, true),
        new("MaxBudgetUsd", "max_budget_usd", 0.0, false, BudgetLimits),
        new("MaxBudgetUsd", "max_budget_usd", 1_000_000.01, false, BudgetLimits),
        new("PermissionMode", "permission_mode", "plan", true),
        new("PermissionMode", "permission_mode", "bypassPermissions", true),
        new("PermissionMode", "permission_mode", "acceptedits", true), // names match without regard to case in both doors
        new("PermissionMode", "permission_mode", "manual", false, ModeLimits),
        new("PermissionMode", "permission_mode", "yolo", false, ModeLimits),
        new("PermissionMode", "permission_mode", " plan", false, ModeLimits),
        new("PermissionMode", "permission_mode", "", true), // blank: not given, the default applies, in both doors
        new("PermissionMode", "permission_mode", "  ", true),
        new("Effort", "effort", "low", true),
        new("Effort", "effort", "max", true),
        new("Effort", "effort", "XHIGH", true),
        new("Effort", "effort", "extreme", false, EffortLimits),
        new("Effort", "effort", "", true),
        new("MaxRetries", "max_retries", 0, true),
        new("MaxRetries", "max_retries", 10, true),
        new("MaxRetries", "max_retries", 11, false, RetriesLimits),
        new("MaxRetries", "max_retries", -1, false, RetriesLimits),
    ];
}
