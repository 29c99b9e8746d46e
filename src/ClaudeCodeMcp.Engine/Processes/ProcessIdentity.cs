namespace ClaudeCodeMcp.Engine.Processes;

/// <summary>
/// A process id together with its start time, so a recycled pid is never mistaken for the process it was.
/// </summary>
public sealed record ProcessIdentity(int Pid, string StartTime)
{
    /// <summary>The identity of a running process, or null when no process has that pid.</summary>
    public static ProcessIdentity? Of(int pid)
    {
        var start = ProcessTable.ReadStartTime(pid);
        return start is null ? null : new ProcessIdentity(pid, start);
    }

    public static ProcessIdentity Current { get; } = Of(Environment.ProcessId)
        ?? new ProcessIdentity(Environment.ProcessId, "unknown");

    /// <summary>True while this very process (same pid, same start time) is alive.</summary>
    public bool IsAlive() => ProcessTable.ReadStartTime(Pid) is { } start && start == StartTime;
}
