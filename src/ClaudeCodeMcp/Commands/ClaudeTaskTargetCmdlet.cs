using System.Management.Automation;
using ClaudeCodeMcp.Jobs;

namespace ClaudeCodeMcp.Commands;

/// <summary>
/// A cmdlet that acts on existing tasks, found as PowerShell's job cmdlets find jobs: task objects from the pipeline
/// (<c>-Task</c>), job ids (<c>-Id</c>, the <c>Id</c> column), the tasks' own ids (<c>-TaskId</c>, also bound from the
/// <c>TaskId</c> or <c>task_id</c> of piped objects) or names (<c>-Name</c>, wildcards).
/// </summary>
public abstract class ClaudeTaskTargetCmdlet : ClaudeCmdlet
{
    protected const string TaskSet = "Task";
    protected const string IdSet = "Id";
    protected const string TaskIdSet = "TaskId";
    protected const string NameSet = "Name";

    /// <summary>Task objects, as Start-ClaudeTask and Get-ClaudeTask return them.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = TaskSet)]
    [ValidateNotNull]
    public ClaudeTaskJob[] Task { get; set; } = [];

    /// <summary>Job ids: the Id column of Get-ClaudeTask and Get-Job.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet)]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    public int[] Id { get; set; } = [];

    /// <summary>The tasks' own ids, as the MCP tools and the records show them.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = TaskIdSet)]
    [Alias("task_id")]
    [ArgumentCompleter(typeof(TaskIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] TaskId { get; set; } = [];

    /// <summary>Task names; wildcards are allowed.</summary>
    [Parameter(Mandatory = true, ParameterSetName = NameSet)]
    [ArgumentCompleter(typeof(TaskNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>
    /// The task objects of this call's input (unknown ones are reported as errors). With <paramref name="use"/>, they
    /// join Get-Job: the session used them.
    /// </summary>
    internal IEnumerable<ClaudeTaskJob> InputJobs(bool use = true)
    {
        var jobs = ParameterSetName switch
        {
            TaskSet => Task,
            IdSet => Id.Select(FindJob).OfType<ClaudeTaskJob>(),
            NameSet => FindByName(Name),
            _ => TaskId.Select(FindTask).OfType<ClaudeTaskJob>(),
        };
        foreach (var job in jobs) yield return use ? Use(job) : job;
    }
}
