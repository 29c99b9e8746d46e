namespace ClaudeCodeMcp.Engine.Processes;

/// <summary>
/// The last word before any signal the engine sends: pid 1 (or below), this process and its ancestors are never signalled,
/// whatever asked for it (a record on disk, a tree walk, a bug). As root, common in containers, a SIGKILL to pid 1 takes
/// the machine down; one to an ancestor ends the session the user works in. Everything else goes to the sender, by
/// default <see cref="PinnedSignal"/>, which signals only the very process named (its start time checked, through a
/// pidfd where there is one).
/// <para>
/// A guard is a snapshot: the ancestors are read when it is made (<see cref="Now"/>), once per stop or kill, since they
/// change only should a parent die. The sender can be replaced, so a test can prove the refusals without sending any
/// real signal.
/// </para>
/// </summary>
internal sealed class SignalGuard
{
    private readonly HashSet<int> _never;
    private readonly Func<ProcessIdentity, int, bool> _send;

    private SignalGuard(HashSet<int> never, Func<ProcessIdentity, int, bool> send)
    {
        _never = never;
        _send = send;
    }

    /// <summary>A guard for this moment: this process and its ancestors as they are now; <paramref name="send"/> only for tests.</summary>
    public static SignalGuard Now(Func<ProcessIdentity, int, bool>? send = null)
    {
        var never = new HashSet<int>(ProcessTable.Ancestors(Environment.ProcessId)) { Environment.ProcessId };
        return new SignalGuard(never, send ?? PinnedSignal.Send);
    }

    /// <summary>False for pid 1 (and 0 and below, which <c>kill</c> reads as groups or everyone), this process and its ancestors.</summary>
    public bool Allows(int pid) => pid > 1 && !_never.Contains(pid);

    /// <summary>Sends <paramref name="signal"/> to <paramref name="target"/> unless it is one never signalled; true when it was sent.</summary>
    public bool Send(ProcessIdentity target, int signal) => Allows(target.Pid) && _send(target, signal);
}
