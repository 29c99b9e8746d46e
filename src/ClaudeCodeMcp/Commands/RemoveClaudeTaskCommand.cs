using System.Management.Automation;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Jobs;

namespace ClaudeCodeMcp.Commands;

/// <summary>
/// Forgets finished tasks and deletes their state (record, prompt, transcript); their jobs leave Get-Job.
/// A running task is refused unless -Force, which stops it first. A worktree task's worktree goes too, but never its
/// work: uncommitted changes refuse the removal unless -Force (which discards them), and a branch with commits stays.
/// Supports -WhatIf and -Confirm.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ClaudeTask", DefaultParameterSetName = TaskSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveClaudeTaskCommand : ClaudeTaskTargetCmdlet
{
    /// <summary>Stops running tasks first, and discards uncommitted changes in worktrees, instead of refusing them.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var job in InputJobs(use: false))
        {
            if (!ShouldProcess($"Claude task {job.TaskId} ({StopClaudeTaskCommand.Preview(job)})", "Remove")) continue;
            try
            {
                var manager = job.Engine.Manager;
                if (Force && manager.Get(job.TaskId) is { IsFinished: false }) job.Apply(Await(manager.StopAsync(job.TaskId, StopToken)));
                var removal = Await(manager.RemoveAsync(job.TaskId, Force, StopToken));
                ClaudeTaskJobSourceAdapter.Discard(job);
                Report(removal);
            }
            catch (ClaudeTaskException e)
            {
                WriteEngineError(e, job);
            }
        }
    }

    /// <summary>
    /// A removal that left something behind (a branch with the task's work, a worktree another task uses) or discarded
    /// uncommitted files is a warning: the user must see where the work is, or what is gone, and a warning is shown by
    /// default yet stays out of the output and can be silenced per call (-WarningAction). Anything else is verbose.
    /// </summary>
    private void Report(ClaudeTaskRemoval removal)
    {
        var noteworthy = removal.Worktree is not null && (!removal.BranchDeleted || removal.DiscardedFileCount > 0);
        if (noteworthy) WriteWarning(removal.Message);
        else WriteVerbose(removal.Message);
    }
}
