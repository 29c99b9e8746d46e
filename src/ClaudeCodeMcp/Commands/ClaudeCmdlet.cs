using System.Management.Automation;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Jobs;

namespace ClaudeCodeMcp.Commands;

/// <summary>
/// What every ClaudeCodeMcp cmdlet shares: the engine of its state folder, a token that Ctrl+C
/// (<see cref="StopProcessing"/>) cancels, the runspace's job for a task, and engine errors as ErrorRecords.
/// </summary>
public abstract class ClaudeCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private SharedEngine? _engine;

    /// <summary>
    /// The task store to use instead of <c>$env:CLAUDE_CODE_MCP_STATE_DIR</c> or the user's state folder.
    /// Hidden: set it for a whole session with <c>$PSDefaultParameterValues['*-Claude*:StateDirectory']</c>.
    /// </summary>
    [Parameter(DontShow = true)]
    public string? StateDirectory { get; set; }

    /// <summary>Cancelled when the pipeline is stopped (Ctrl+C).</summary>
    protected CancellationToken StopToken => _stopping.Token;

    /// <summary>This process's engine for the state folder.</summary>
    internal SharedEngine Engine => _engine ??= SharedEngine.For(StateDirectory is null ? null : ResolvePath(StateDirectory));

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>PowerShell calls this however the pipeline ends: done, stopped, or failed downstream.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what this call holds; a cmdlet that starts children stops its unfinished ones here.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing) _stopping.Dispose();
    }

    /// <summary>A path as PowerShell users mean it: relative to the current location, <c>~</c> expanded.</summary>
    protected string ResolvePath(string path) => GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>The runspace's task object for a record, not added to Get-Job (Get-ClaudeTask's listing).</summary>
    internal ClaudeTaskJob Known(ClaudeTaskRecord record) => ClaudeTaskJobSourceAdapter.Known(JobManager, Engine, record);

    /// <summary>The runspace's task object for a record, in Get-Job from now on (a task this session starts or uses).</summary>
    internal ClaudeTaskJob Track(ClaudeTaskRecord record) => Use(Known(record));

    /// <summary>Puts a task object in Get-Job.</summary>
    internal ClaudeTaskJob Use(ClaudeTaskJob job) => ClaudeTaskJobSourceAdapter.Use(JobManager, job);

    /// <summary>The task object of a task id in this cmdlet's store, current; writes an error and returns null when there is none.</summary>
    internal ClaudeTaskJob? FindTask(string taskId)
    {
        try
        {
            if (Engine.Manager.Get(taskId) is { } record) return Known(record);
            WriteError(new ErrorRecord(
                new ItemNotFoundException($"There is no task {taskId.Trim()} in '{Engine.Root}'. Run Get-ClaudeTask to see which exist."),
                nameof(ClaudeErrorCode.TaskNotFound), ErrorCategory.ObjectNotFound, taskId));
        }
        catch (ClaudeTaskException e)
        {
            WriteError(ClaudeErrors.From(e, taskId));
        }
        return null;
    }

    /// <summary>
    /// The task object with this job id (the <c>Id</c> column, what Get-Job -Id takes), current; writes an error and
    /// returns null when this session has met no such task.
    /// </summary>
    internal ClaudeTaskJob? FindJob(int id)
    {
        if (ClaudeTaskJobSourceAdapter.ByJobId(JobManager, Engine, id) is { } job)
        {
            try
            {
                if (Engine.Manager.Get(job.TaskId) is { } record) job.Apply(record);
                return job;
            }
            catch (ClaudeTaskException e)
            {
                WriteError(ClaudeErrors.From(e, id));
                return null;
            }
        }
        WriteError(ClaudeErrors.JobNotFound(id));
        return null;
    }

    /// <summary>
    /// The task objects whose names match the patterns (wildcards, case-insensitive), newest first; a name without
    /// wildcards that matches nothing is an error.
    /// </summary>
    internal IEnumerable<ClaudeTaskJob> FindByName(string[] names, Func<ClaudeTaskRecord, bool>? wanted = null)
    {
        var records = ListStore(wanted);
        var patterns = NamePatterns(names);
        for (var i = 0; i < names.Length; i++)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(names[i]) && !records.Any(r => NameMatches(r, patterns[i])))
                WriteError(ClaudeErrors.NameNotFound(names[i], Engine.Root));
        }
        foreach (var record in records.Where(r => NamesMatch(r, patterns))) yield return Known(record);
    }

    /// <summary>The store's records, newest first, those <paramref name="wanted"/> only; none when the store cannot be listed (said as an error).</summary>
    internal List<ClaudeTaskRecord> ListStore(Func<ClaudeTaskRecord, bool>? wanted = null)
    {
        try
        {
            return Engine.Manager.List().Where(r => wanted is null || wanted(r)).ToList();
        }
        catch (ClaudeTaskException e)
        {
            WriteEngineError(e, null);
            return [];
        }
    }

    /// <summary>-Name's patterns: wildcards, case-insensitive.</summary>
    internal static WildcardPattern[] NamePatterns(string[] names) => names.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();

    /// <summary>True when there are no patterns or the task's name matches one of them.</summary>
    internal static bool NamesMatch(ClaudeTaskRecord record, WildcardPattern[] patterns) =>
        patterns.Length == 0 || patterns.Any(p => NameMatches(record, p));

    private static bool NameMatches(ClaudeTaskRecord record, WildcardPattern pattern) =>
        record.Name is not null && pattern.IsMatch(record.Name);

    /// <summary>Blocks the pipeline thread on engine work; Ctrl+C ends the wait and stops the pipeline.</summary>
    protected T Await<T>(Task<T> task)
    {
        try
        {
            return task.WaitAsync(StopToken).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    protected void Await(Task task) => Await(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default));

    internal void WriteEngineError(ClaudeTaskException e, object? target) => WriteError(ClaudeErrors.From(e, target));
}
