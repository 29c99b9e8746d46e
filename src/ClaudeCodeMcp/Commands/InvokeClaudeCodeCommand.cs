using System.Collections.Concurrent;
using System.Management.Automation;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Jobs;

namespace ClaudeCodeMcp.Commands;

/// <summary>
/// Runs prompts and blocks until each is done. Prompts from the pipeline start as they arrive and run in
/// parallel (at most <c>-ThrottleLimit</c> of this call's at once, else within this process's limit), and
/// their results stream out as each finishes; a progress bar counts them. However the call ends (Ctrl+C, an
/// error downstream, <c>Select-Object -First</c>), the children it started and that are still running stop.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ClaudeCode")]
[OutputType(typeof(ClaudeTaskResult))]
public sealed class InvokeClaudeCodeCommand : ClaudeTaskRunCmdlet
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(15);
    private readonly List<ClaudeTaskJob> _running = [];
    private readonly BlockingCollection<ClaudeTaskRecord> _changes = [];
    private readonly ActivityEcho _activity = new();
    private readonly List<IDisposable> _follows = [];
    private ProgressRecord? _progress;
    private int _started;
    private int _finished;

    protected override void ProcessRecord()
    {
        foreach (var prompt in Prompt)
        {
            try
            {
                var spec = BuildSpec(prompt);
                var record = StartTask(spec);
                _started++;
                // The job follows the task itself, and its follower, subscribed first, takes each change before this
                // call's follower queues it; the snapshot (changes made before this call followed) may be ahead of
                // the events the job has had, so the job takes it too.
                var job = Track(record);
                lock (_follows) _follows.Add(Engine.Follow(record.Id, _changes.Add));
                _running.Add(job);
                var latest = Engine.Manager.Get(record.Id) ?? record;
                job.Apply(latest);
                _changes.Add(latest);
                WriteVerbose($"Task {record.Id} {record.State.ToWireName()}: {DescribeCommand(spec)} (in {spec.WorkingDirectory})");
            }
            catch (ClaudeTaskException e)
            {
                WriteEngineError(e, prompt);
            }
        }
        // Results of earlier prompts stream out while more arrive.
        while (_changes.TryTake(out var change)) OnChange(change);
    }

    protected override void EndProcessing()
    {
        while (_running.Count > 0) Collect();
        if (_progress is not null)
        {
            _progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(_progress);
        }
    }

    /// <summary>Stops this call's children that are still running, and drops its subscriptions, however the pipeline ended.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_follows)
            {
                foreach (var follow in _follows) follow.Dispose();
                _follows.Clear();
            }
            StopUnfinished();
        }
        base.Dispose(disposing);
    }

    /// <summary>Waits for changes of this call's tasks; writes each finished one's result. Ctrl+C ends the wait (Dispose stops the tasks).</summary>
    private void Collect()
    {
        try
        {
            if (_changes.TryTake(out var record, (int)ProgressInterval.TotalMilliseconds, StopToken)) OnChange(record);
            while (_changes.TryTake(out record)) OnChange(record);
        }
        catch (OperationCanceledException)
        {
            StopUnfinished();
            throw new PipelineStoppedException();
        }
        Report();
    }

    private void OnChange(ClaudeTaskRecord record)
    {
        var job = _running.Find(j => j.TaskId == record.Id);
        if (job is null) return;
        if (!record.IsFinished)
        {
            _activity.Note(record.Id, record.Activity?.Describe(), WriteVerbose);
            return;
        }
        _running.Remove(job);
        _finished++;
        WriteObject(new ClaudeTaskResult(record));
        if (record.State != ClaudeTaskState.Completed) WriteError(ClaudeErrors.TaskEnded(record, job));
    }

    private void Report()
    {
        _progress ??= new ProgressRecord(2, "Running Claude Code", "Starting");
        _progress.StatusDescription = $"{_finished} of {_started} finished, {_running.Count} running or queued";
        _progress.PercentComplete = _started > 0 ? _finished * 100 / _started : -1;
        _progress.CurrentOperation = _running.Count == 1 ? $"{_running[0].TaskId}: {_running[0].StatusMessage}" : null;
        WriteProgress(_progress);
    }

    private void StopUnfinished()
    {
        var unfinished = _running.Where(j => j.Engine.Manager.Get(j.TaskId) is { IsFinished: false }).ToList();
        _running.Clear();
        if (unfinished.Count == 0) return;
        var stops = unfinished.Select(async j => j.Apply(await j.Engine.Manager.StopAsync(j.TaskId).ConfigureAwait(false))).ToArray();
        try
        {
            System.Threading.Tasks.Task.WhenAll(stops).Wait(StopWait);
        }
        catch (AggregateException)
        {
            // A task removed meanwhile (by another process) needs no stopping.
        }
    }
}
