namespace ClaudeCodeMcp.Reliability.Tests.Support;

/// <summary>
/// Sizes of the bounded CI runs and of the soak. <c>CCM_RELIABILITY_SOAK=1</c> turns every test into its long
/// variant (see docs/reliability.md); without it the whole project stays within a few minutes on 2 cores.
/// </summary>
public static class Soak
{
    public const string Variable = "CCM_RELIABILITY_SOAK";

    public static bool Enabled { get; } = Environment.GetEnvironmentVariable(Variable) is "1" or "true";

    /// <summary>Tasks queued in the load test.</summary>
    public static int LoadTasks => Enabled ? 1000 : 500;

    /// <summary>How long two processes churn one store.</summary>
    public static TimeSpan ChurnTime => Enabled ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(15);

    /// <summary>Generated tool calls and raw JSON-RPC lines in the hostile input test.</summary>
    public static int FuzzCases => Enabled ? 50_000 : 10_000;

    /// <summary>Generated working_dir paths checked against --allowed-dir.</summary>
    public static int PathCases => Enabled ? 5_000 : 1_000;
}
