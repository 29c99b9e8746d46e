using System.Diagnostics;

namespace ClaudeCodeMcp.Engine.Processes;

/// <summary>
/// Stops the children of a process that is about to end, against a deadline that must hold on a busy machine:
/// SIGTERM to all of them at once, on the caller's thread; then, on a thread of its own (a saturated thread pool
/// cannot delay it), up to the grace period for them to exit, a kill of whatever is left of their trees, and a
/// short wait until all of it is gone.
/// </summary>
internal static class ChildShutdown
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);

    /// <summary>How long, after the kill, the trees are watched until they are gone.</summary>
    private static readonly TimeSpan GoneWithin = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Sends the SIGTERMs now; <paramref name="stopped"/> runs on the stopping thread once the trees are gone (or
    /// could not all be seen gone in time), and at once when there are no children.
    /// </summary>
    public static void Begin(IReadOnlyCollection<ProcessIdentity> children, TimeSpan grace, Action stopped)
    {
        if (children.Count == 0)
        {
            stopped();
            return;
        }
        var clock = Stopwatch.StartNew();
        var guard = SignalGuard.Now();
        Dictionary<int, ProcessIdentity> tree;
        try
        {
            tree = ProcessTree.TerminateAll(children, guard);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process table could not be read: stop the children themselves; their trees cannot be traced.
            tree = [];
            foreach (var child in children) guard.Send(child, PosixSignals.Terminate);
        }
        new Thread(() =>
        {
            try
            {
                while (clock.Elapsed < grace && children.Any(c => c.IsAlive())) Thread.Sleep(Poll);
                var gone = ProcessTree.KillRest(children, tree, guard);
                var until = clock.Elapsed + GoneWithin;
                while (!gone && clock.Elapsed < until)
                {
                    Thread.Sleep(Poll);
                    gone = children.Concat(tree.Values).All(m => !m.IsAlive());
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process table could not be read: what was signalled is signalled; the records say the rest.
            }
            finally
            {
                stopped();
            }
        })
        {
            IsBackground = true,
            Name = "Claude task shutdown",
        }.Start();
    }
}
