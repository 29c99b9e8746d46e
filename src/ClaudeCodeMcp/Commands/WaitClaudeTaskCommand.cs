using System.Collections.Concurrent;
using System.Management.Automation;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Waiting;
using ClaudeCodeMcp.Jobs;

namespace ClaudeCodeMcp.Commands;

/// <summary>
/// Waits until all the tasks (or, with <c>-Any</c>, one of them) have finished, or <c>-Timeout</c> passes,
/// showing a progress bar; returns the finished tasks. Ctrl+C ends the wait, not the tasks.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "ClaudeTask", DefaultParameterSetName = TaskSet)]
[OutputType(typeof(ClaudeTaskJob))]
public sealed class WaitClaudeTaskCommand : ClaudeTaskTargetCmdlet
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);
    private readonly List<ClaudeTaskJob> _jobs = [];

    /// <summary>Returns as soon as any of the tasks has finished.</summary>
    [Parameter]
    public SwitchParameter Any { get; set; }

    /// <summary>Gives up after this many seconds and returns the tasks that have finished.</summary>
    [Parameter]
    [Alias("TimeoutSec")]
    [ValidateRange(0, int.MaxValue)]
    public int? Timeout { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var job in InputJobs())
        {
            if (!_jobs.Contains(job)) _jobs.Add(job);
        }
    }

    protected override void EndProcessing()
    {
        if (_jobs.Count == 0) return;
        var limit = Timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var activity = new ActivityEcho();
        var progress = new ProgressRecord(1, "Waiting for Claude tasks", "Starting") { PercentComplete = 0 };
        try
        {
            if (!Done()) WaitForEngines(limit, progress, activity);
            if (!Done())
                WriteVerbose($"Timed out after {Timeout} s; still running: {string.Join(", ", _jobs.Where(j => !j.Record.IsFinished).Select(j => j.TaskId))}.");
        }
        catch (ClaudeTaskException e)
        {
            WriteEngineError(e, null);
        }
        finally
        {
            // The closing record tells how the wait ended, not what the last report before it said.
            var finished = _jobs.Count(j => j.Record.IsFinished);
            progress.PercentComplete = finished * 100 / _jobs.Count;
            progress.StatusDescription = $"{finished} of {_jobs.Count} finished";
            progress.CurrentOperation = null;
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
        WriteObject(_jobs.Where(j => j.Record.IsFinished), enumerateCollection: true);
    }

    private bool Done()
    {
        var finished = _jobs.Count(j => j.Record.IsFinished);
        return finished == _jobs.Count || (Any && finished > 0);
    }

    /// <summary>
    /// One engine wait per state folder the jobs live in, each reporting snapshots that this thread renders as they
    /// come; with <c>-Any</c> the first to return ends the others. Ctrl+C ends the wait, not the tasks.
    /// </summary>
    private void WaitForEngines(TimeSpan? limit, ProgressRecord progress, ActivityEcho activity)
    {
        // Not disposed: after Ctrl+C the engine waits end on their own threads, and may still complete it or add to it.
        var snapshots = new BlockingCollection<ClaudeWaitSnapshot>();
        var report = new ClaudeWaitProgress(snapshot =>
        {
            try
            {
                snapshots.Add(snapshot);
            }
            catch (InvalidOperationException)
            {
                // The wait has ended: nothing renders any more.
            }
        }) { MinInterval = ProgressInterval, Heartbeat = ProgressInterval };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(StopToken);
        var waits = _jobs.Where(j => !j.Record.IsFinished).GroupBy(j => j.Engine)
            .Select(group => group.Key.Manager.WaitAsync(group.Select(j => j.TaskId), Any ? ClaudeWaitMode.Any : ClaudeWaitMode.All,
                limit, report, stop.Token))
            .ToList();
        System.Threading.Tasks.Task ended = Any ? System.Threading.Tasks.Task.WhenAny(waits) : System.Threading.Tasks.Task.WhenAll(waits);
        ended.ContinueWith(_ => snapshots.CompleteAdding(), TaskScheduler.Default);
        try
        {
            foreach (var snapshot in snapshots.GetConsumingEnumerable(StopToken)) Render(snapshot, progress, activity);
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            stop.Cancel();
        }
        foreach (var wait in waits.Where(w => w.IsCompletedSuccessfully)) Apply(wait.Result);
        if (waits.FirstOrDefault(w => w.IsFaulted)?.Exception?.InnerException is ClaudeTaskException error) throw error;
    }

    private void Apply(IEnumerable<ClaudeTaskRecord> records)
    {
        foreach (var record in records) _jobs.Find(j => j.TaskId == record.Id)?.Apply(record);
    }

    private void Render(ClaudeWaitSnapshot snapshot, ProgressRecord progress, ActivityEcho activity)
    {
        Apply(snapshot.Tasks);
        Report(progress, _jobs.Count(j => j.Record.IsFinished), activity);
    }

    private void Report(ProgressRecord progress, int finished, ActivityEcho activity)
    {
        var running = _jobs.Where(j => !j.Record.IsFinished).ToList();
        progress.PercentComplete = finished * 100 / _jobs.Count;
        progress.StatusDescription = $"{finished} of {_jobs.Count} finished";
        progress.CurrentOperation = running.Count == 1
            ? $"{running[0].TaskId}: {running[0].StatusMessage}"
            : $"{running.Count} running or queued";
        WriteProgress(progress);
        foreach (var job in running) activity.Note(job.TaskId, job.Activity, WriteVerbose);
    }
}
