using System.Management.Automation;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Waiting;
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
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(200);
    private readonly Dictionary<string, ClaudeTaskJob> _jobs = new(StringComparer.Ordinal);
    private readonly ActivityEcho _activity = new();
    private ClaudeTaskBatch? _batch;
    private ProgressRecord? _progress;
    private LiveTranscript? _live;

    /// <summary>
    /// Writes what each task's child says and does, as it happens, to the information stream, each line prefixed with
    /// the task's name (or its id); the result objects still come as each task ends.
    /// </summary>
    [Parameter]
    public SwitchParameter Follow { get; set; }

    protected override void ProcessRecord()
    {
        // The batch runs at most -ThrottleLimit of this call's tasks at once; SharedEngine.Start notes each as this session's.
        _batch ??= new ClaudeTaskBatch(Engine.Manager, ThrottleLimit, Engine.Start);
        foreach (var prompt in Prompt)
        {
            try
            {
                var spec = BuildSpec(prompt);
                var record = _batch.Start(spec);
                _jobs[record.Id] = Track(record);
                if (Follow)
                {
                    _live ??= new LiveTranscript(Engine.Manager);
                    _live.Follow(record.Id, spec.Name ?? record.Id);
                }
                WriteVerbose($"Task {record.Id} {record.State.ToWireName()}: {DescribeCommand(spec)} (in {spec.WorkingDirectory})");
            }
            catch (ClaudeTaskException e)
            {
                WriteEngineError(e, prompt);
            }
        }
        // Results of earlier prompts stream out while more arrive.
        while (_batch.TryTake(out var change, TimeSpan.Zero)) OnChange(change);
        _live?.Pump(this);
    }

    protected override void EndProcessing()
    {
        while (_batch is { Unfinished: > 0 }) Collect(_batch);
        if (_progress is not null)
        {
            _progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(_progress);
        }
    }

    /// <summary>Stops this call's children that are still running, however the pipeline ended.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing) _batch?.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Waits for changes of this call's tasks; writes each finished one's result. Ctrl+C ends the wait (Dispose stops the tasks).</summary>
    private void Collect(ClaudeTaskBatch batch)
    {
        try
        {
            if (batch.TryTake(out var change, _live is null ? ProgressInterval : FollowInterval, StopToken)) OnChange(change);
            while (batch.TryTake(out change, TimeSpan.Zero)) OnChange(change);
            _live?.Pump(this);
        }
        catch (OperationCanceledException)
        {
            batch.Dispose();
            throw new PipelineStoppedException();
        }
        Report(batch);
    }

    private void OnChange(ClaudeTaskRecord record)
    {
        if (!_jobs.TryGetValue(record.Id, out var job)) return;
        job.Apply(record);
        if (!record.IsFinished)
        {
            _activity.Note(record.Id, record.Activity?.Describe(), WriteVerbose);
            return;
        }
        _live?.Finish(this, record.Id);
        WriteObject(new ClaudeTaskResult(record));
        if (ClaudeErrors.DenialWarning(record) is { } warning) WriteWarning(warning);
        if (record.State != ClaudeTaskState.Completed) WriteError(ClaudeErrors.TaskEnded(record, job));
    }

    private void Report(ClaudeTaskBatch batch)
    {
        var unfinished = batch.Snapshot().Unfinished;
        _progress ??= new ProgressRecord(2, "Running Claude Code", "Starting");
        _progress.StatusDescription = $"{batch.Ended} of {batch.Started} finished, {batch.Unfinished} running or queued";
        _progress.PercentComplete = batch.Started > 0 ? batch.Ended * 100 / batch.Started : -1;
        _progress.CurrentOperation = unfinished.Count == 1 ? $"{unfinished[0].Id}: {_jobs[unfinished[0].Id].StatusMessage}" : null;
        WriteProgress(_progress);
    }
}
