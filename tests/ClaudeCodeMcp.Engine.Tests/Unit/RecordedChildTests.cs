using ClaudeCodeMcp.Engine.Processes;
using ClaudeCodeMcp.Engine.Store;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

/// <summary>
/// What proves a process named by a record to be the task's (its marker and start time), and that a signal reaches the
/// very process named. Real signals go only to processes these tests started.
/// </summary>
public sealed class RecordedChildTests
{
    private readonly List<int> _sent = [];

    [LinuxFact]
    public async Task Only_the_exact_marker_of_the_task_with_the_recorded_start_time_proves_a_process_the_task_s()
    {
        var taskId = TaskId.New();
        using var marked = MarkedProcess.Start(taskId, "sleep", "60");
        using var unmarked = System.Diagnostics.Process.Start("sleep", "60");
        try
        {
            var identity = await Eventually.ValueAsync(() => ProcessIdentity.Of(marked.Id), "the marked sleep");

            Assert.True(TaskMarker.Carries(marked.Id, taskId));
            Assert.True(RecordedChild.IsTasks(identity, taskId));
            Assert.False(RecordedChild.IsTasks(identity, TaskId.New())); // another task's id
            Assert.False(TaskMarker.Carries(marked.Id, taskId[..^1])); // a prefix of it
            Assert.False(TaskMarker.Carries(marked.Id, taskId + "x"));
            Assert.False(RecordedChild.IsTasks(identity with { StartTime = "1" }, taskId)); // its pid, another start time
            Assert.False(TaskMarker.Carries(unmarked.Id, taskId));
            Assert.False(TaskMarker.Carries(int.MaxValue - 1, taskId)); // no such process
        }
        finally
        {
            marked.Kill();
            unmarked.Kill();
            await ProcessAssert.AssertGoneAsync([marked.Id, unmarked.Id]);
        }
    }

    [LinuxFact]
    public async Task A_proven_child_s_descendants_are_signalled_even_one_whose_environment_was_emptied()
    {
        var taskId = TaskId.New();
        using var bash = MarkedProcess.Start(taskId, "bash", "-c", "env -i sleep 60 & sleep 60; wait");
        var tree = new List<int> { bash.Id };
        try
        {
            var sleeps = await Eventually.ThatAsync(() => ProcessTable.Descendants(bash.Id), d => d.Count >= 2 && d.Any(s => !TaskMarker.Carries(s.Pid, taskId)),
                "two sleeps, one with no environment");
            tree.AddRange(sleeps.Select(s => s.Pid));
            var guard = SignalGuard.Now((target, _) =>
            {
                lock (_sent) _sent.Add(target.Pid);
                return true; // written down, not sent
            });

            Assert.True(RecordedChild.Kill(ProcessIdentity.Of(bash.Id)!, taskId, guard));

            Assert.All(tree, pid => Assert.Contains(pid, _sent));
            Assert.All(tree, pid => Assert.True(ProcessAssert.IsAlive(pid)));
        }
        finally
        {
            bash.Kill(entireProcessTree: true);
            await ProcessAssert.GoneAsync(tree);
        }
    }

    [LinuxFact]
    public async Task A_signal_reaches_only_the_process_with_the_start_time_named()
    {
        using var sleep = System.Diagnostics.Process.Start("sleep", "60");
        try
        {
            var identity = await Eventually.ValueAsync(() => ProcessIdentity.Of(sleep.Id), "the sleep");

            Assert.False(PinnedSignal.Send(identity with { StartTime = "1" }, PosixSignals.Kill)); // the pid, recycled
            Assert.True(ProcessAssert.IsAlive(sleep.Id));
            Assert.True(PinnedSignal.Send(identity, PosixSignals.Kill));
            await ProcessAssert.AssertGoneAsync([sleep.Id], TimeSpan.FromSeconds(5));
            Assert.False(PinnedSignal.Send(identity, PosixSignals.Kill)); // gone: nothing to signal
            if (Environment.OSVersion.Version >= new Version(5, 3)) Assert.True(PinnedSignal.UsesPidfd, "pidfds exist on this kernel");
        }
        finally
        {
            if (!sleep.HasExited) sleep.Kill();
            await ProcessAssert.GoneAsync([sleep.Id]);
        }
    }
}
