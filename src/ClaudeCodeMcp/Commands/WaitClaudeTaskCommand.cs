using System.Diagnostics;
using System.Management.Automation;
using ClaudeCodeMcp.Engine;
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
        var clock = Stopwatch.StartNew();
        var limit = Timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var activity = new ActivityEcho();
        var progress = new ProgressRecord(1, "Waiting for Claude tasks", "Starting") { PercentComplete = 0 };
        try
        {
            while (true)
            {
                var finished = _jobs.Where(j => j.Record.IsFinished).ToList();
                if (finished.Count == _jobs.Count || (Any && finished.Count > 0)) break;
                var remaining = limit - clock.Elapsed;
                if (remaining <= TimeSpan.Zero)
                {
                    WriteVerbose($"Timed out after {Timeout} s; still running: {string.Join(", ", _jobs.Except(finished).Select(j => j.TaskId))}.");
                    break;
                }
                Report(progress, finished.Count, activity);
                var slice = remaining is { } r && r < ProgressInterval ? r : ProgressInterval;
                foreach (var group in _jobs.Where(j => !j.Record.IsFinished).GroupBy(j => j.Engine))
                {
                    var records = Await(group.Key.Manager.WaitAsync(group.Select(j => j.TaskId), ClaudeWaitMode.Any, slice, StopToken));
                    foreach (var record in records) group.First(j => j.TaskId == record.Id).Apply(record);
                }
            }
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
