namespace ClaudeCodeMcp.Engine.Processes;

/// <summary>
/// A task's child as a record on disk names it, for a process that did not start it (recovery of a dead owner's task,
/// a stop of an unresponsive owner's). A record is only a file: whoever can write to the store (a child session allowed
/// only to edit files, should the store lie under its working folder) can name any process in it, with the pid and
/// start time /proc shows everyone. So the recorded child is signalled only once proven the task's: alive with its
/// recorded start time, and started with the task's marker (<see cref="TaskMarker"/>), read between two checks of that
/// start time so the environment read is that very process's.
/// <para>
/// Its descendants are not asked for the marker: they are found by parent links from the proven child while it lives
/// (and from each of them while they live), links the kernel keeps and no record can forge, and a tool may well start
/// its processes with an emptied environment (<c>env -i</c>), which would otherwise leave them running as orphans. The
/// marker alone would not prove a descendant either: any process can set it for its own children. Whatever the proof,
/// <see cref="SignalGuard"/> never lets a signal reach pid 1, this process or its ancestors, and every signal goes to
/// the very process found (<see cref="PinnedSignal"/>).
/// </para>
/// </summary>
internal static class RecordedChild
{
    /// <summary>True when <paramref name="child"/> runs with its recorded start time and carries <paramref name="taskId"/>'s marker.</summary>
    public static bool IsTasks(ProcessIdentity child, string taskId) =>
        child.IsAlive() && TaskMarker.Carries(child.Pid, taskId) && child.IsAlive();

    /// <summary>Kills the child's tree at once if it is the task's; false (nothing signalled) when it is not proven so.</summary>
    public static bool Kill(ProcessIdentity child, string taskId, SignalGuard? guard = null)
    {
        if (!IsTasks(child, taskId)) return false;
        ProcessTree.Kill(child, guard);
        return true;
    }

    /// <summary>SIGTERM, a grace period, then a kill of the child's tree, if it is the task's; false (nothing signalled) when it is not proven so.</summary>
    public static async Task<bool> StopAsync(ProcessIdentity child, string taskId, TimeSpan grace, SignalGuard? guard = null)
    {
        if (!IsTasks(child, taskId)) return false;
        await ProcessTree.StopAsync(child, grace, guard: guard).ConfigureAwait(false);
        return true;
    }

    /// <summary>What a record says of a child it named that was not proven the task's, so was never signalled.</summary>
    public static string LeftAlone(ProcessIdentity child) => OperatingSystem.IsWindows()
        ? $"its recorded child process (pid {child.Pid}) cannot be proven this task's on Windows, so it was left alone"
        : $"its recorded child process (pid {child.Pid}) is not this task's, so it was left alone";
}
