using System.Diagnostics;

namespace ClaudeCodeMcp.Engine.Processes;

/// <summary>
/// Ends a process and everything it started. The CLI's Bash tool runs its shell in a session of its own,
/// so a process-group kill misses it: descendants are collected by parent links while the root still
/// lives (once it dies they are re-parented and can no longer be traced), then killed one by one, each
/// checked by its start time so a recycled pid is never hit. Every signal passes a <see cref="SignalGuard"/>: pid 1,
/// this process and its ancestors are never signalled, and a root that is one of them has nothing of its tree signalled.
/// A root named by a record on disk is proven the task's first (<see cref="RecordedChild"/>).
/// </summary>
internal static class ProcessTree
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan DeathWait = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// SIGTERM to the root, up to <paramref name="grace"/> for it to exit, then SIGKILL to whatever of the
    /// tree is left. <paramref name="rootExited"/> completes when the root exits (own children); without it
    /// the root is watched by its identity. <paramref name="guard"/>: a test's; by default one made now.
    /// </summary>
    public static async Task StopAsync(ProcessIdentity root, TimeSpan grace, Task? rootExited = null, SignalGuard? guard = null)
    {
        guard ??= SignalGuard.Now();
        if (!guard.Allows(root.Pid)) return;
        if (OperatingSystem.IsWindows())
        {
            KillWindowsTree(root);
            return;
        }
        var tree = new Dictionary<int, ProcessIdentity>();
        Collect(root, tree, guard);
        guard.Send(root, PosixSignals.Terminate);
        var deadline = DateTime.UtcNow + grace;
        while (DateTime.UtcNow < deadline && root.IsAlive())
        {
            // Keep collecting while the root lives: it may start processes during its shutdown.
            var wait = rootExited is null ? Task.Delay(Tick) : Task.WhenAny(rootExited, Task.Delay(Tick));
            await wait.ConfigureAwait(false);
            if (rootExited is { IsCompleted: true }) break;
            Collect(root, tree, guard);
        }
        KillAll([root], tree, guard);
    }

    /// <summary>Kills the tree at once, without a grace period.</summary>
    public static void Kill(ProcessIdentity root, SignalGuard? guard = null)
    {
        guard ??= SignalGuard.Now();
        if (!guard.Allows(root.Pid)) return;
        if (OperatingSystem.IsWindows())
        {
            KillWindowsTree(root);
            return;
        }
        var tree = new Dictionary<int, ProcessIdentity>();
        Collect(root, tree, guard);
        KillAll([root], tree, guard);
    }

    /// <summary>
    /// Runs the code a shutdown needs (a reading of the process table, the walk of a tree) once, without signalling
    /// anything: a shutdown comes once, late, often on a busy machine, and must not spend its short time compiling.
    /// </summary>
    public static void WarmUp()
    {
        if (OperatingSystem.IsWindows()) return;
        _ = SignalGuard.Now();
        PinnedSignal.WarmUp();
        var self = ProcessIdentity.Current;
        var tree = new Dictionary<int, ProcessIdentity>();
        foreach (var member in ProcessTable.Descendants(new[] { self }.Where(r => r.IsAlive()).Select(r => r.Pid), ProcessTable.ChildrenByParent()))
            tree.TryAdd(member.Pid, member);
        _ = new[] { self }.Concat(tree.Values).Where(m => m.Pid < 0).ToList();
    }

    /// <summary>
    /// Sends SIGTERM to every root at once, after one reading of the process table that notes their trees (once a
    /// root dies its descendants are re-parented and can no longer be traced). Returns what <see cref="KillRest"/> needs.
    /// The roots are this process's own children; any the guard refuses is left out, with its tree.
    /// </summary>
    public static Dictionary<int, ProcessIdentity> TerminateAll(IReadOnlyCollection<ProcessIdentity> roots, SignalGuard? guard = null)
    {
        var tree = new Dictionary<int, ProcessIdentity>();
        if (OperatingSystem.IsWindows() || roots.Count == 0) return tree;
        guard ??= SignalGuard.Now();
        var allowed = roots.Where(r => guard.Allows(r.Pid)).ToList();
        foreach (var member in ProcessTable.Descendants(allowed.Where(r => r.IsAlive()).Select(r => r.Pid), ProcessTable.ChildrenByParent()))
            Note(tree, member, guard);
        foreach (var root in allowed) guard.Send(root, PosixSignals.Terminate);
        return tree;
    }

    /// <summary>Kills whatever is left of the <paramref name="roots"/>' trees (noted by <see cref="TerminateAll"/>); true when all of it is gone.</summary>
    public static bool KillRest(IReadOnlyCollection<ProcessIdentity> roots, Dictionary<int, ProcessIdentity> tree, SignalGuard? guard = null)
    {
        guard ??= SignalGuard.Now();
        var allowed = roots.Where(r => guard.Allows(r.Pid)).ToList();
        if (OperatingSystem.IsWindows())
        {
            foreach (var root in allowed) KillWindowsTree(root);
            return allowed.All(r => !r.IsAlive());
        }
        KillAll(allowed, tree, guard);
        return allowed.Concat(tree.Values).All(m => !m.IsAlive());
    }

    private static void Collect(ProcessIdentity root, Dictionary<int, ProcessIdentity> tree, SignalGuard guard)
    {
        if (!root.IsAlive()) return;
        foreach (var member in ProcessTable.Descendants(root.Pid)) Note(tree, member, guard);
    }

    /// <summary>
    /// Notes a descendant of a child about to get SIGTERM, and hands it to the watchdog too: a child that exits on
    /// SIGTERM leaves its descendants re-parented where no tree walk finds them, and should this process be killed
    /// before its kill round (Claude Code's SIGKILL on a busy machine), only the watchdog's list still names them. One the
    /// guard refuses is not noted, so the watchdog never hears of it either.
    /// </summary>
    private static void Note(Dictionary<int, ProcessIdentity> tree, ProcessIdentity member, SignalGuard guard)
    {
        if (guard.Allows(member.Pid) && tree.TryAdd(member.Pid, member)) ChildWatchdog.Started?.Watch(member);
    }

    private static void KillAll(IReadOnlyCollection<ProcessIdentity> roots, Dictionary<int, ProcessIdentity> tree, SignalGuard guard)
    {
        // Freeze first, so nothing forks while we kill; then kill; repeat for children born in between. One reading
        // of the process table a round, however many processes there are.
        for (var round = 0; round < 5; round++)
        {
            var alive = roots.Concat(tree.Values).Where(m => m.IsAlive()).ToList();
            if (alive.Count == 0) return;
            foreach (var member in alive) guard.Send(member, PosixSignals.Stop);
            foreach (var child in ProcessTable.Descendants(alive.Select(m => m.Pid), ProcessTable.ChildrenByParent()))
            {
                if (guard.Allows(child.Pid)) tree.TryAdd(child.Pid, child);
            }
            foreach (var member in roots.Concat(tree.Values)) guard.Send(member, PosixSignals.Kill);
            // A killed process takes a moment to die: look for one still alive only after that moment, not at once
            // (which would cost another reading of the table, and another round, for nothing).
            var killedAt = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(killedAt) < DeathWait && roots.Concat(tree.Values).Any(m => m.IsAlive())) Thread.Sleep(1);
        }
    }

    private static void KillWindowsTree(ProcessIdentity root)
    {
        if (!root.IsAlive()) return;
        try
        {
            using var process = Process.GetProcessById(root.Pid);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }
}
