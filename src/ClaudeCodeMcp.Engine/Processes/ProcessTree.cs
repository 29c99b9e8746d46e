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
        KillAll(root, tree);
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
        KillAll(root, tree);
    }

    private static void Collect(ProcessIdentity root, Dictionary<int, ProcessIdentity> tree)
    {
        if (!root.IsAlive()) return;
        foreach (var member in ProcessTable.Descendants(root.Pid)) tree.TryAdd(member.Pid, member);
    }

    private static void KillAll(ProcessIdentity root, Dictionary<int, ProcessIdentity> tree)
    {
        // Freeze first, so nothing forks while we kill; then kill; repeat for children born in between.
        for (var round = 0; round < 5; round++)
        {
            var members = new List<ProcessIdentity> { root };
            members.AddRange(tree.Values);
            var alive = members.Where(m => m.IsAlive()).ToList();
            if (alive.Count == 0) return;
            foreach (var member in alive) PosixSignals.Send(member.Pid, PosixSignals.Stop);
            foreach (var member in alive)
            {
                foreach (var child in ProcessTable.Descendants(member.Pid)) tree.TryAdd(child.Pid, child);
            }
            foreach (var member in tree.Values.Prepend(root))
            {
                if (member.IsAlive()) PosixSignals.Send(member.Pid, PosixSignals.Kill);
            }
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
