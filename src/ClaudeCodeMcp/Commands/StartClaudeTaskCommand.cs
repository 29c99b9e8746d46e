using System.Management.Automation;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Jobs;

namespace ClaudeCodeMcp.Commands;

/// <summary>
/// Starts one child <c>claude -p</c> session per prompt in the background and returns its task object at
/// once: a PowerShell job. A task or result piped in continues its session (<c>-Resume</c> and
/// <c>-WorkingDirectory</c> bind from it).
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "ClaudeTask")]
[OutputType(typeof(ClaudeTaskJob))]
public sealed class StartClaudeTaskCommand : ClaudeTaskRunCmdlet
{
    /// <summary>How many children this process runs at once, for every later task too (the rest queue).</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int? ThrottleLimit { get; set; }

    protected override void BeginProcessing()
    {
        if (ThrottleLimit is not { } limit) return;
        var manager = Engine.Manager;
        if (manager.ThrottleLimit != limit)
        {
            WriteVerbose($"This process now runs at most {limit} Claude tasks at once (was {manager.ThrottleLimit}).");
            manager.ThrottleLimit = limit;
        }
    }

    protected override void ProcessRecord()
    {
        try
        {
            var spec = BuildSpec(Prompt);
            var record = Engine.Start(spec);
            WriteVerbose($"Task {record.Id} {record.State.ToWireName()}: {DescribeCommand(spec)} (in {spec.WorkingDirectory})");
            WriteObject(Track(record));
        }
        catch (ClaudeTaskException e)
        {
            WriteEngineError(e, Prompt);
        }
    }
}
