using System.Management.Automation;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Jobs;

namespace ClaudeCodeMcp.Commands;

/// <summary>
/// Lists tasks from the shared state folder, this process's and other processes', newest first, as task objects.
/// Finds them as Get-Job finds jobs: by name (wildcards), job id (<c>-Id</c>, the Id column) or the task's own id
/// (<c>-TaskId</c>), and filters by state. Listing adds nothing to Get-Job, which shows the tasks this session
/// started or used.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ClaudeTask", DefaultParameterSetName = NameSet)]
[OutputType(typeof(ClaudeTaskJob))]
public sealed class GetClaudeTaskCommand : ClaudeCmdlet
{
    private const string IdSet = "Id";
    private const string TaskIdSet = "TaskId";
    private const string NameSet = "Name";

    /// <summary>Job ids: the Id column, as Get-Job -Id takes them.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet)]
    [ArgumentCompleter(typeof(JobIdCompleter))]
    public int[] Id { get; set; } = [];

    /// <summary>The tasks' own ids, as the MCP tools and the records show them.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = TaskIdSet)]
    [Alias("task_id")]
    [ArgumentCompleter(typeof(TaskIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] TaskId { get; set; } = [];

    /// <summary>Task names; wildcards are allowed.</summary>
    [Parameter(Position = 0, ParameterSetName = NameSet)]
    [ArgumentCompleter(typeof(TaskNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Only tasks in these states: the names PowerShell shows (TimedOut) or the wire names (timed_out).</summary>
    [Parameter]
    [TaskStateName]
    public ClaudeTaskState[] State { get; set; } = [];

    protected override void ProcessRecord()
    {
        var jobs = ParameterSetName switch
        {
            IdSet => Id.Select(FindJob).OfType<ClaudeTaskJob>(),
            TaskIdSet => TaskId.Select(FindTask).OfType<ClaudeTaskJob>(),
            _ => FindByName(Name, Wanted),
        };
        foreach (var job in jobs)
        {
            if (Wanted(job.Record)) WriteObject(job);
        }
    }

    private bool Wanted(ClaudeTaskRecord record) => State.Length == 0 || State.Contains(record.State);
}

/// <summary>Turns the state names of records and MCP tools (<c>timed_out</c>) into states; enum names bind as usual.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class TaskStateNameAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            string text => Parse(text),
            object[] items => items.Select(i => i is PSObject o ? o.BaseObject : i).Select(i => i is string t ? Parse(t) : i).ToArray(),
            _ => inputData,
        };
    }

    private static object Parse(string text) =>
        ClaudeTaskStateExtensions.TryParseWireName(text.Trim(), out var state)
            ? state
            : throw new ArgumentTransformationMetadataException(
                $"'{text}' is not a task state. Use one of: {string.Join(", ", Enum.GetValues<ClaudeTaskState>().Select(s => s.ToWireName()))}.");
}
