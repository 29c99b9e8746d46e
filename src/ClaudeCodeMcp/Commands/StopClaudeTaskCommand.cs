using System.Management.Automation;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Jobs;

namespace ClaudeCodeMcp.Commands;

/// <summary>
/// Stops tasks and their whole process trees (SIGTERM, a grace period, then SIGKILL), also tasks owned by
/// another process; they end as cancelled. Supports -WhatIf and -Confirm.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "ClaudeTask", DefaultParameterSetName = TaskSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ClaudeTaskJob))]
public sealed class StopClaudeTaskCommand : ClaudeTaskTargetCmdlet
{
    /// <summary>Returns the stopped tasks.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var job in InputJobs())
        {
            if (!ShouldProcess($"Claude task {job.TaskId} ({Preview(job)})", "Stop")) continue;
            try
            {
                job.Apply(Await(job.Engine.Manager.StopAsync(job.TaskId, StopToken)));
                WriteVerbose($"Task {job.TaskId} is {job.TaskState.ToWireName()}.");
                if (PassThru) WriteObject(job);
            }
            catch (ClaudeTaskException e)
            {
                WriteEngineError(e, job);
            }
        }
    }

    internal static string Preview(ClaudeTaskJob job)
    {
        var text = job.PromptPreview.ReplaceLineEndings(" ");
        return text.Length > 60 ? text[..59] + "…" : text;
    }
}
