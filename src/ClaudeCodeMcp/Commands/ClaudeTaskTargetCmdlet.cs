using System.Management.Automation;
using ClaudeCodeMcp.Jobs;

namespace ClaudeCodeMcp.Commands;

/// <summary>
/// A cmdlet that acts on existing tasks: task objects from the pipeline (<c>-Task</c>), or ids
/// (<c>-Id</c>, also the <c>TaskId</c> of piped results).
/// </summary>
public abstract class ClaudeTaskTargetCmdlet : ClaudeCmdlet
{
    protected const string TaskSet = "Task";
    protected const string IdSet = "Id";

    /// <summary>Task objects, as Start-ClaudeTask and Get-ClaudeTask return them.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = TaskSet)]
    [ValidateNotNull]
    public ClaudeTaskJob[] Task { get; set; } = [];

    /// <summary>Task ids, as returned when the tasks started.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
    [Alias("TaskId")]
    [ArgumentCompleter(typeof(TaskIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    /// <summary>The jobs of this call's input (-Task as given, -Id looked up; unknown ids are reported as errors).</summary>
    internal IEnumerable<ClaudeTaskJob> InputJobs()
    {
        if (ParameterSetName == TaskSet)
        {
            foreach (var job in Task) yield return job;
            yield break;
        }
        foreach (var id in Id)
        {
            if (TrackId(id) is { } job) yield return job;
        }
    }
}
