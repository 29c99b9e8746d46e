using System.Collections.Concurrent;
using System.Management.Automation;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Jobs;

namespace ClaudeCodeMcp.Commands;

/// <summary>
/// Runs prompts and blocks until each is done. Prompts from the pipeline run in parallel, at most
/// <c>-ThrottleLimit</c> of this call's at once, and their results stream out as each finishes; a
/// progress bar counts them. Ctrl+C stops the children this call started.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ClaudeCode")]
[OutputType(typeof(ClaudeTaskResult))]
public sealed class InvokeClaudeCodeCommand : ClaudeTaskRunCmdlet
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);
    private readonly List<ClaudeTaskJob> _running = [];
    private readonly BlockingCollection<ClaudeTaskRecord> _changes = [];
    private readonly Dictionary<string, string?> _activity = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _follows = [];
    private ProgressRecord? _progress;
    private int _started;
    private int _finished;

    /// <summary>At most this many of this call's prompts run at once (also bounded by the process's limit).</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int ThrottleLimit { get; set; } = 4;

    protected override void BeginProcessing()
    {
        if (ThrottleLimit > Engine.Manager.ThrottleLimit)
        {
            WriteWarning($"-ThrottleLimit {ThrottleLimit} is above this process's limit of {Engine.Manager.ThrottleLimit} Claude tasks at once; "
                + $"the rest queue. Raise the process's limit with Start-ClaudeTask -ThrottleLimit.");
        }
    }

    protected override void ProcessRecord()
    {
        while (_running.Count >= ThrottleLimit) Collect(all: false);
        try
        {
            var spec = BuildSpec(Prompt);
            var record = Engine.Start(spec);
            _started++;
            var job = Track(record);
            _follows.Add(Engine.Follow(record.Id, _changes.Add));
            _running.Add(job);
            _changes.Add(Engine.Manager.Get(record.Id) ?? record);
            WriteVerbose($"Task {record.Id} {record.State.ToWireName()}: {DescribeCommand(spec)} (in {spec.WorkingDirectory})");
        }
        catch (ClaudeTaskException e)
        {
            WriteEngineError(e, Prompt);
        }
    }

    protected override void EndProcessing()
    {
        while (_running.Count > 0) Collect(all: true);
        if (_progress is not null)
        {
            _progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(_progress);
        }
        foreach (var follow in _follows) follow.Dispose();
    }

    /// <summary>Waits for changes of this call's tasks; writes each finished one's result. Ctrl+C stops them all.</summary>
    private void Collect(bool all)
    {
        try
        {
            if (_changes.TryTake(out var record, (int)ProgressInterval.TotalMilliseconds, StopToken)) OnChange(record);
            while (_changes.TryTake(out record)) OnChange(record);
        }
        catch (OperationCanceledException)
        {
            StopAll();
            throw new PipelineStoppedException();
        }
        Report(all);
    }

    private void OnChange(ClaudeTaskRecord record)
    {
        var job = _running.Find(j => j.TaskId == record.Id);
        if (job is null) return;
        job.Apply(record);
        if (!record.IsFinished)
        {
            var now = record.Activity?.Describe();
            if (now is not null && (!_activity.TryGetValue(record.Id, out var before) || before != now)) WriteVerbose($"Task {record.Id}: {now}");
            _activity[record.Id] = now;
            return;
        }
        _running.Remove(job);
        _finished++;
        WriteObject(new ClaudeTaskResult(record));
        if (record.State != ClaudeTaskState.Completed) WriteError(ClaudeErrors.TaskEnded(record, job));
    }

    private void Report(bool all)
    {
        _progress ??= new ProgressRecord(2, "Running Claude Code", "Starting");
        _progress.StatusDescription = $"{_finished} of {_started}{(all ? "" : "+")} finished, {_running.Count} running or queued";
        _progress.PercentComplete = all && _started > 0 ? _finished * 100 / _started : -1;
        _progress.CurrentOperation = _running.Count == 1 ? $"{_running[0].TaskId}: {_running[0].StatusMessage}" : null;
        WriteProgress(_progress);
    }

    private void StopAll()
    {
        var stops = _running.Select(j => j.Engine.Manager.StopAsync(j.TaskId)).ToArray();
        System.Threading.Tasks.Task.WhenAll(stops).Wait(TimeSpan.FromSeconds(15));
    }
}
