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

    /// <summary>The runspace's job for a task record.</summary>
    internal ClaudeTaskJob Track(ClaudeTaskRecord record) => ClaudeTaskJobSourceAdapter.Track(JobManager, Engine, record);

    /// <summary>The job of a task id in this cmdlet's store; writes an error and returns null when there is none.</summary>
    internal ClaudeTaskJob? TrackId(string id)
    {
        try
        {
            if (Engine.Manager.Get(id) is { } record) return Track(record);
            WriteError(new ErrorRecord(
                new ItemNotFoundException($"There is no task {id.Trim()} in '{Engine.Root}'. Run Get-ClaudeTask to see which exist."),
                nameof(ClaudeErrorCode.TaskNotFound), ErrorCategory.ObjectNotFound, id));
        }
        catch (ClaudeTaskException e)
        {
            WriteError(ClaudeErrors.From(e, id));
        }
        return null;
    }

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
