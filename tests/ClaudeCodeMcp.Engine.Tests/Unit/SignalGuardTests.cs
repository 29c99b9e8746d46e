using ClaudeCodeMcp.Engine.Processes;
using ClaudeCodeMcp.Engine.Store;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

/// <summary>
/// The signalling layer never signals pid 1, this process or its ancestors, whatever asks. Proven with a sender that only
/// writes down what it was handed: no test here sends a real signal (one to pid 1, run as root, would end the machine).
/// </summary>
public sealed class SignalGuardTests
{
    private readonly List<(int Pid, int Signal)> _sent = [];

    private SignalGuard RecordingGuard() => SignalGuard.Now((target, signal) =>
    {
        lock (_sent) _sent.Add((target.Pid, signal));
        return true;
    });

    [UnixFact]
    public void Pid_1_below_it_this_process_and_its_ancestors_are_never_handed_to_the_sender()
    {
        var guard = RecordingGuard();
        var ancestors = ProcessTable.Ancestors(Environment.ProcessId);
        Assert.NotEmpty(ancestors); // the test runner has a parent, at least
        var never = new[] { 1, 0, -1, Environment.ProcessId }.Concat(ancestors).ToList();

        foreach (var pid in never)
        {
            Assert.False(guard.Allows(pid), $"pid {pid} must never be signalled");
            Assert.False(guard.Send(new ProcessIdentity(pid, "any"), PosixSignals.Kill));
        }

        Assert.Empty(_sent);
        Assert.True(guard.Send(new ProcessIdentity(int.MaxValue - 1, "any"), PosixSignals.Kill)); // anyone else reaches the sender
        Assert.Equal([(int.MaxValue - 1, PosixSignals.Kill)], _sent);
    }

    [LinuxFact]
    public async Task A_tree_rooted_at_pid_1_gets_no_signal_at_all()
    {
        var init = ProcessIdentity.Of(1)!; // its real start time: all a crafted record needs

        ProcessTree.Kill(init, RecordingGuard());
        await ProcessTree.StopAsync(init, TimeSpan.FromMilliseconds(50), guard: RecordingGuard());

        Assert.Empty(_sent); // not pid 1, and none of the machine's processes below it
    }

    [LinuxFact]
    public async Task A_tree_rooted_at_this_process_or_its_parent_gets_no_signal_at_all()
    {
        var parent = ProcessIdentity.Of(ProcessTable.Ancestors(Environment.ProcessId)[0])!;

        foreach (var root in new[] { ProcessIdentity.Current, parent })
        {
            ProcessTree.Kill(root, RecordingGuard());
            await ProcessTree.StopAsync(root, TimeSpan.FromMilliseconds(50), guard: RecordingGuard());
            ProcessTree.KillRest([root], ProcessTree.TerminateAll([root], RecordingGuard()), RecordingGuard());
        }

        Assert.Empty(_sent);
    }

    [LinuxFact]
    public void A_record_naming_pid_1_or_this_process_is_never_proven_the_task_s()
    {
        var taskId = TaskId.New();

        Assert.False(RecordedChild.Kill(ProcessIdentity.Of(1)!, taskId, RecordingGuard()));
        Assert.False(RecordedChild.Kill(ProcessIdentity.Current, taskId, RecordingGuard()));

        Assert.Empty(_sent);
    }
}
