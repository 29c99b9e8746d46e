using System.Management.Automation;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Jobs;

namespace ClaudeCodeMcp.Commands;

/// <summary>
/// Starts one child <c>claude -p</c> session per prompt in the background and returns its task object at
/// once: a PowerShell job. A task or result piped in with a new prompt continues its session (<c>-Resume</c>
/// and <c>-WorkingDirectory</c> bind from it). With <c>-ThrottleLimit</c>, at most that many of this call's
/// tasks run at once; other calls' limits are untouched.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "ClaudeTask")]
[OutputType(typeof(ClaudeTaskJob))]
public sealed class StartClaudeTaskCommand : ClaudeTaskRunCmdlet
{
    protected override void ProcessRecord()
    {
        foreach (var prompt in Prompt)
        {
            try
            {
                var spec = BuildSpec(prompt);
                var record = StartTask(spec);
                WriteVerbose($"Task {record.Id} {record.State.ToWireName()}: {DescribeCommand(spec)} (in {spec.WorkingDirectory})");
                WriteObject(Track(record));
            }
            catch (ClaudeTaskException e)
            {
                WriteEngineError(e, prompt);
            }
        }
    }
}
