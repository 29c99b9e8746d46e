using System.Management.Automation;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Jobs;

namespace ClaudeCodeMcp.Commands;

/// <summary>
/// Forgets finished tasks and deletes their state (record, prompt, transcript); their jobs leave Get-Job.
/// A running task is refused unless -Force, which stops it first. Supports -WhatIf and -Confirm.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ClaudeTask", DefaultParameterSetName = TaskSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveClaudeTaskCommand : ClaudeTaskTargetCmdlet
{
    /// <summary>Stops running tasks first instead of refusing them.</summary>
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
                Await(manager.RemoveAsync(job.TaskId, Force, StopToken));
                ClaudeTaskJobSourceAdapter.Discard(job);
                WriteVerbose($"Task {job.TaskId} removed.");
            }
            catch (ClaudeTaskException e)
            {
                WriteEngineError(e, job);
            }
        }
    }
}
