using System.Management.Automation;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Jobs;

namespace ClaudeCodeMcp.Commands;

/// <summary>
/// Lists tasks from the shared state folder, this process's and other processes', newest first, as task
/// objects (jobs of this runspace). Filters by id, name (wildcards) and state.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ClaudeTask", DefaultParameterSetName = NameSet)]
[OutputType(typeof(ClaudeTaskJob))]
public sealed class GetClaudeTaskCommand : ClaudeCmdlet
{
    private const string IdSet = "Id";
    private const string NameSet = "Name";

    /// <summary>Task ids.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = IdSet)]
    [Alias("TaskId")]
    [ArgumentCompleter(typeof(TaskIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

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
        try
        {
            if (ParameterSetName == IdSet)
            {
                foreach (var id in Id)
                {
                    if (TrackId(id) is { } job && Wanted(job.Record)) WriteObject(job);
                }
                return;
            }
            var records = Engine.Manager.List().Where(Wanted).ToList();
            var patterns = Name.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
            for (var i = 0; i < Name.Length; i++)
            {
                if (!WildcardPattern.ContainsWildcardCharacters(Name[i]) && !records.Any(r => NameMatches(r, patterns[i])))
                    WriteError(ClaudeErrors.NameNotFound(Name[i], Engine.Root));
            }
            foreach (var record in records.Where(r => patterns.Length == 0 || patterns.Any(p => NameMatches(r, p))))
                WriteObject(Track(record));
        }
        catch (ClaudeTaskException e)
        {
            WriteEngineError(e, null);
        }
    }

    private bool Wanted(ClaudeTaskRecord record) => State.Length == 0 || State.Contains(record.State);

    private static bool NameMatches(ClaudeTaskRecord record, WildcardPattern pattern) =>
        record.Name is not null && pattern.IsMatch(record.Name);
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
