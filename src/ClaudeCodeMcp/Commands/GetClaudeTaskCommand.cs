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

    /// <summary>Only tasks in these states.</summary>
    [Parameter]
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
            foreach (var name in Name)
            {
                if (!WildcardPattern.ContainsWildcardCharacters(name) && !records.Any(r => NameMatches(r, name)))
                    WriteError(ClaudeErrors.NameNotFound(name, Engine.Root));
            }
            foreach (var record in records.Where(r => Name.Length == 0 || Name.Any(n => NameMatches(r, n))))
                WriteObject(Track(record));
        }
        catch (ClaudeTaskException e)
        {
            WriteEngineError(e, null);
        }
    }

    private bool Wanted(ClaudeTaskRecord record) => State.Length == 0 || State.Contains(record.State);

    private static bool NameMatches(ClaudeTaskRecord record, string name) =>
        record.Name is not null && new WildcardPattern(name, WildcardOptions.IgnoreCase).IsMatch(record.Name);
}
