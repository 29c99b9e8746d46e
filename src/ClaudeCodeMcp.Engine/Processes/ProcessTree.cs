using System.Diagnostics;

namespace ClaudeCodeMcp.Engine.Processes;

/// <summary>
/// Ends a process and everything it started. The CLI's Bash tool runs its shell in a session of its own,
/// so a process-group kill misses it: descendants are collected by parent links while the root still
/// lives (once it dies they are re-parented and can no longer be traced), then killed one by one, each
/// checked by its start time so a recycled pid is never hit.
/// </summary>
internal static class ProcessTree
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan DeathWait = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// SIGTERM to the root, up to <paramref name="grace"/> for it to exit, then SIGKILL to whatever of the
    /// tree is left. <paramref name="rootExited"/> completes when the root exits (own children); without it
    /// the root is watched by its identity.
    /// </summary>
    public static async Task StopAsync(ProcessIdentity root, TimeSpan grace, Task? rootExited = null)
    {
        if (OperatingSystem.IsWindows())
        {
            KillWindowsTree(root);
            return;
        }
        var tree = new Dictionary<int, ProcessIdentity>();
        Collect(root, tree);
        PosixSignals.Send(root.Pid, PosixSignals.Terminate);
        var deadline = DateTime.UtcNow + grace;
        while (DateTime.UtcNow < deadline && root.IsAlive())
        {
            // Keep collecting while the root lives: it may start processes during its shutdown.
            var wait = rootExited is null ? Task.Delay(Tick) : Task.WhenAny(rootExited, Task.Delay(Tick));
            await wait.ConfigureAwait(false);
            if (rootExited is { IsCompleted: true }) break;
            Collect(root, tree);
        }
        KillAll([root], tree);
    }

    /// <summary>Kills the tree at once, without a grace period.</summary>
    public static void Kill(ProcessIdentity root)
    {
        if (OperatingSystem.IsWindows())
        {
            KillWindowsTree(root);
            return;
        }
        var tree = new Dictionary<int, ProcessIdentity>();
        Collect(root, tree);
        KillAll([root], tree);
    }

    /// <summary>
    /// Runs the code a shutdown needs (a reading of the process table, the walk of a tree) once, without signalling
    /// anything: a shutdown comes once, late, often on a busy machine, and must not spend its short time compiling.
    /// </summary>
    public static void WarmUp()
    {
        if (OperatingSystem.IsWindows()) return;
        var self = ProcessIdentity.Current;
        var tree = new Dictionary<int, ProcessIdentity>();
        foreach (var member in ProcessTable.Descendants(new[] { self }.Where(r => r.IsAlive()).Select(r => r.Pid), ProcessTable.ChildrenByParent()))
            tree.TryAdd(member.Pid, member);
        _ = new[] { self }.Concat(tree.Values).Where(m => m.Pid < 0).ToList();
    }

    /// <summary>
    /// Sends SIGTERM to every root at once, after one reading of the process table that notes their trees (once a
    /// root dies its descendants are re-parented and can no longer be traced). Returns what <see cref="KillRest"/> needs.
    /// </summary>
    public static Dictionary<int, ProcessIdentity> TerminateAll(IReadOnlyCollection<ProcessIdentity> roots)
    {
        var tree = new Dictionary<int, ProcessIdentity>();
        if (OperatingSystem.IsWindows() || roots.Count == 0) return tree;
        foreach (var member in ProcessTable.Descendants(roots.Where(r => r.IsAlive()).Select(r => r.Pid), ProcessTable.ChildrenByParent()))
            Note(tree, member);
        foreach (var root in roots) PosixSignals.Send(root.Pid, PosixSignals.Terminate);
        return tree;
    }

    /// <summary>Kills whatever is left of the <paramref name="roots"/>' trees (noted by <see cref="TerminateAll"/>); true when all of it is gone.</summary>
    public static bool KillRest(IReadOnlyCollection<ProcessIdentity> roots, Dictionary<int, ProcessIdentity> tree)
    {
        if (OperatingSystem.IsWindows())
        {
            foreach (var root in roots) KillWindowsTree(root);
            return roots.All(r => !r.IsAlive());
        }
        KillAll(roots, tree);
        return roots.Concat(tree.Values).All(m => !m.IsAlive());
    }

    private static void Collect(ProcessIdentity root, Dictionary<int, ProcessIdentity> tree)
    {
        if (!root.IsAlive()) return;
        foreach (var member in ProcessTable.Descendants(root.Pid)) Note(tree, member);
    }

    /// <summary>
    /// Notes a descendant of a child about to get SIGTERM, and hands it to the watchdog too: a child that exits on
    /// SIGTERM leaves its descendants re-parented where no tree walk finds them, and should this process be killed
    /// before its kill round (Claude Code's SIGKILL on a busy machine), only the watchdog's list still names them.
    /// </summary>
    private static void Note(Dictionary<int, ProcessIdentity> tree, ProcessIdentity member)
    {
        if (tree.TryAdd(member.Pid, member)) ChildWatchdog.Started?.Watch(member);
    }

    private static void KillAll(IReadOnlyCollection<ProcessIdentity> roots, Dictionary<int, ProcessIdentity> tree)
    {
        // Freeze first, so nothing forks while we kill; then kill; repeat for children born in between. One reading
        // of the process table a round, however many processes there are.
        for (var round = 0; round < 5; round++)
        {
            var alive = roots.Concat(tree.Values).Where(m => m.IsAlive()).ToList();
            if (alive.Count == 0) return;
            foreach (var member in alive) PosixSignals.Send(member.Pid, PosixSignals.Stop);
            foreach (var child in ProcessTable.Descendants(alive.Select(m => m.Pid), ProcessTable.ChildrenByParent())) tree.TryAdd(child.Pid, child);
            foreach (var member in roots.Concat(tree.Values))
            {
                if (member.IsAlive()) PosixSignals.Send(member.Pid, PosixSignals.Kill);
            }
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
