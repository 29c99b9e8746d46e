using ClaudeCodeMcp.Engine.Processes;
using ClaudeCodeMcp.Engine.Store;

namespace ClaudeCodeMcp.Engine.Tests.Support;

/// <summary>
/// A task written straight into a store as a process that has since died left it: its owner is a pid no process has.
/// For the cases no real owner can be made to leave on cue (killed between two writes, a pid recycled since).
/// </summary>
public static class DeadOwnerRecord
{
    public static ClaudeTaskRecord Write(Sandbox sandbox, ClaudeTaskState state, ProcessIdentity? child,
        Func<ClaudeTaskRecord, ClaudeTaskRecord>? with = null) =>
        Write(sandbox, state, _ => child, with);

    /// <summary>As above, the child made once the task's id is known: a process carrying the task's marker (<see cref="MarkedProcess"/>).</summary>
    public static ClaudeTaskRecord Write(Sandbox sandbox, ClaudeTaskState state, Func<string, ProcessIdentity?> childOf,
        Func<ClaudeTaskRecord, ClaudeTaskRecord>? with = null) =>
        new TaskStore(sandbox.StateDir).Create(id =>
        {
            var record = new ClaudeTaskRecord
            {
                Id = id,
                State = state,
                PromptPreview = "",
                WorkingDirectory = sandbox.WorkDir,
                CreatedAt = DateTimeOffset.UtcNow,
                Owner = new ProcessIdentity(int.MaxValue - 1, "1"),
                Child = childOf(id),
            };
            return with is null ? record : with(record);
        }, "prompt");
}
