using System.Diagnostics;
using System.Text;
using ClaudeCodeMcp.Engine.Processes;
using ClaudeCodeMcp.Engine.Store;
using ClaudeCodeMcp.Engine.Streaming;

namespace ClaudeCodeMcp.Engine;

/// <summary>
/// One task owned by this process: from queued, through its child's life, to a final record.
/// All record changes go through <see cref="Update"/>; the final write happens before
/// <see cref="Completion"/> completes, so other processes see it first.
/// </summary>
internal sealed class ClaudeTaskRun
{
    internal const int MaxLineBytes = 16 * 1024 * 1024;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    private readonly object _gate = new();
    private readonly object _persistGate = new();
    private readonly TaskStore _store;
    private readonly ClaudeEngineOptions _options;
    private IReadOnlyDictionary<string, string>? _environment; // dropped once the child has it
    private readonly string _claudePath;
    private readonly Action<ClaudeTaskRecord, bool> _changed;
    private readonly TaskCompletionSource<ClaudeTaskRecord> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _resultSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClaudeTaskRecord _record;
    private ClaudeStopReason _stopReason;
    private string? _stopMessage;
    private TimeSpan? _stopGrace;
    private bool _started;
    private bool _finalWritten;
    private bool _childHandedOver; // the manager's shutdown stops the child; this run only waits for its exit
    private ResultEvent? _result;
    private ProcessIdentity? _child;
    private bool _logFailed;
    private readonly TailBuffer _plainOutput = new(1024);
    private string? _lastMessageId;
    private long _oversizeLines;
    private ClaudeTaskActivity _activity = new();
    private readonly RateLimitedAction _publish;
    private readonly RateLimitedAction _persist;

    public ClaudeTaskRun(ClaudeTaskRecord record, ClaudeTaskSpec spec, string claudePath, TaskStore store,
        ClaudeEngineOptions options, IReadOnlyDictionary<string, string> environment, Action<ClaudeTaskRecord, bool> changed)
    {
        _record = record;
        Spec = spec;
        _claudePath = claudePath;
        _store = store;
        _options = options;
        _environment = environment;
        _changed = changed;
        _publish = new RateLimitedAction(TimeSpan.FromMilliseconds(50), PublishActivity);
        _persist = new RateLimitedAction(TimeSpan.FromSeconds(1), PersistNow);
    }

    public string Id => _record.Id;

    /// <summary>Where this task's slot comes from.</summary>
    public required ClaudeTaskThrottle Throttle { get; init; }
    public ClaudeTaskSpec Spec { get; }
    public ClaudeTaskRecord Snapshot => Volatile.Read(ref _record);
    public Task<ClaudeTaskRecord> Completion => _done.Task;

    /// <summary>Asks the task to end. A queued task ends at once; a running one has its tree stopped.</summary>
    public void RequestStop(ClaudeStopReason reason, string? message = null, TimeSpan? grace = null)
    {
        bool finishNow;
        lock (_gate)
        {
            if (grace is not null) _stopGrace = grace;
            if (_stopReason != ClaudeStopReason.None || _finalWritten) return;
            _stopReason = reason;
            _stopMessage = message;
            finishNow = !_started;
            if (finishNow) _started = true; // a queued task will never start now
        }
        _stopRequested.TrySetResult();
        if (finishNow) Finish(result: null, exitCode: null, stderrTail: "");
    }

    /// <summary>
    /// The owner is shutting down. The task's final record is written now, before anything slow: the verdict known so
    /// far (cancelled with <paramref name="message"/>, unless the child already reported success), with the child's
    /// identity kept until <see cref="ConfirmStopped"/>, so a later reader can still stop the child should this
    /// process die first. Returns the running child, which the caller now stops; null when there is none yet (a
    /// queued task ends here; a child being started is stopped by this run itself, within <paramref name="grace"/>).
    /// </summary>
    public ProcessIdentity? RecordShutdown(string message, TimeSpan grace)
    {
        ProcessIdentity? child;
        bool queued;
        lock (_gate)
        {
            _stopGrace = grace;
            if (_stopReason == ClaudeStopReason.None)
            {
                _stopReason = ClaudeStopReason.Cancelled;
                _stopMessage = message;
            }
            queued = !_started;
            _started = true;
            child = _child;
            _childHandedOver = child is not null;
        }
        _stopRequested.TrySetResult();
        if (queued) Finish(result: null, exitCode: null, stderrTail: "");
        else if (child is not null) WriteFinal(Volatile.Read(ref _result), exitCode: null, stderrTail: "", failure: null, child);
        return child;
    }

    /// <summary>After <see cref="RecordShutdown"/>: the child's tree was stopped; once it is gone its identity leaves the record.</summary>
    public void ConfirmStopped()
    {
        lock (_persistGate)
        {
            if (_record.Child is { } child && !child.IsAlive())
            {
                var settled = _record with { Child = null };
                Volatile.Write(ref _record, settled);
                Persist(settled, notify: false, final: true);
                _changed(settled, false);
            }
        }
        _done.TrySetResult(Snapshot);
    }

    /// <summary>Runs the child to its end. Called once, when the throttle gives the task a slot. Never throws.</summary>
    public async Task RunAsync()
    {
        lock (_gate)
        {
            if (_started) return;
            _started = true;
        }
        if (_store.HasStopRequest(Id))
        {
            // Another process asked for a stop while the task was queued (and its signal went unseen).
            lock (_gate) _stopReason = ClaudeStopReason.Cancelled;
            Finish(result: null, exitCode: null, stderrTail: "");
            return;
        }
        FileStream? streamLog = null;
        Process? process = null;
        try
        {
            streamLog = _store.CreateLog(_store.StreamLogPath(Id));
            process = StartProcess();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or ClaudeTaskException)
        {
            streamLog?.Dispose();
            Finish(result: null, exitCode: null, stderrTail: "", failure: $"Claude Code could not be started from '{_claudePath}': {e.Message}");
            return;
        }

        ProcessIdentity? child = null;
        var stderrTail = new TailBuffer(4 * 1024);
        try
        {
            var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            process.EnableRaisingEvents = true;
            process.Exited += (_, _) => exited.TrySetResult();
            if (process.HasExited) exited.TrySetResult();

            child = ProcessIdentity.Of(process.Id) ?? new ProcessIdentity(process.Id, "exited");
            lock (_gate) _child = child; // from here a shutdown hands the child to the manager (RecordShutdown)
            Update(r => r with { State = ClaudeTaskState.Running, StartedAt = DateTimeOffset.UtcNow, Child = child }, notify: true);
            _persist.MarkRan(); // activity reaches the disk a second after the start, not with the first event

            var stdinTask = WritePromptAsync(process);
            var stdout = new LineSplitter(OnLine, _ => Interlocked.Increment(ref _oversizeLines), MaxLineBytes);
            var stdoutTask = stdout.PumpAsync(process.StandardOutput.BaseStream, streamLog, CancellationToken.None);
            var stderrTask = PumpStderrAsync(process.StandardError.BaseStream, stderrTail);
            try
            {
                using (var timeout = Spec.Timeout is { } limit
                           ? new Timer(_ => RequestStop(ClaudeStopReason.TimedOut), null, limit, Timeout.InfiniteTimeSpan)
                           : null)
                {
                    await SuperviseAsync(child, exited.Task).ConfigureAwait(false);
                }
                await Task.WhenAny(Task.WhenAll(stdoutTask, stderrTask, stdinTask), Task.Delay(DrainTimeout)).ConfigureAwait(false);
            }
            finally
            {
                await DisposeQuietly(streamLog, stdoutTask).ConfigureAwait(false);
            }
            _logFailed |= stdout.LogFailed;
            int? exitCode = process.HasExited ? process.ExitCode : null;
            process.Dispose();
            Finish(Volatile.Read(ref _result), exitCode, stderrTail.ToString());
        }
        catch (Exception e)
        {
            // Whatever went wrong, the child must not outlive its supervision, and the task must end.
            if (child is not null) ProcessTree.Kill(child);
            process.Dispose();
            Finish(Volatile.Read(ref _result), null, stderrTail.ToString(), failure: $"The engine lost track of the child ({e.GetType().Name}: {e.Message}); it was stopped.");
        }
    }

    private Process StartProcess()
    {
        var psi = new ProcessStartInfo(_claudePath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Spec.WorkingDirectory,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (var arg in ClaudeArguments.Build(Spec)) psi.ArgumentList.Add(arg);
        psi.Environment.Clear();
        foreach (var (name, value) in _environment!) psi.Environment[name] = value;
        var process = Process.Start(psi) ?? throw new ClaudeTaskException(ClaudeErrorCode.StartFailed, "The process did not start.");
        // The child has its environment: neither copy needs to live as long as the task (the process keeps its start info).
        _environment = null;
        psi.Environment.Clear();
        return process;
    }

    /// <summary>Waits for the child to exit, for a stop request, or for a result the child lingers after.</summary>
    private async Task SuperviseAsync(ProcessIdentity child, Task exited)
    {
        var first = await Task.WhenAny(exited, _stopRequested.Task, _resultSeen.Task).ConfigureAwait(false);
        if (first == _resultSeen.Task && !exited.IsCompleted)
        {
            var grace = Task.Delay(_options.ResultExitGracePeriod);
            first = await Task.WhenAny(exited, _stopRequested.Task, grace).ConfigureAwait(false);
            if (first == grace)
            {
                lock (_gate)
                {
                    if (_stopReason == ClaudeStopReason.None) _stopReason = ClaudeStopReason.LingeredAfterResult;
                }
            }
        }
        if (exited.IsCompleted) return;
        TimeSpan stopGrace;
        bool handedOver;
        lock (_gate)
        {
            stopGrace = _stopGrace ?? _options.StopGracePeriod;
            handedOver = _childHandedOver;
        }
        if (!handedOver) await ProcessTree.StopAsync(child, stopGrace, exited).ConfigureAwait(false);
        // The tree has been sent SIGKILL; the exit follows within moments.
        await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
    }

    private async Task WritePromptAsync(Process process)
    {
        try
        {
            await process.StandardInput.WriteAsync(Spec.Prompt).ConfigureAwait(false);
            await process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The child exited without reading its prompt; its exit tells why.
        }
        finally
        {
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // Same as above.
            }
        }
    }

    /// <summary>
    /// Drains the child's stderr into its tail and into stderr.log, which is made only when the child first writes
    /// there (most children never do: one file fewer to create per task). The log closes when the pipe does.
    /// </summary>
    private async Task PumpStderrAsync(Stream source, TailBuffer tail)
    {
        var buffer = new byte[4096];
        FileStream? log = null;
        var logging = true;
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                tail.Append(buffer.AsSpan(0, read));
                if (!logging) continue;
                try
                {
                    log ??= _store.CreateLog(_store.StderrLogPath(Id));
                    await log.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ClaudeTaskException)
                {
                    logging = false; // disk full or task removed: keep draining the pipe so the child never blocks
                    _logFailed = true;
                }
            }
        }
        finally
        {
            if (log is not null) CloseLog(log);
        }
    }

    private void OnLine(ReadOnlyMemory<byte> line)
    {
        switch (StreamEventParser.Parse(line))
        {
            case InitEvent init:
                Update(r => r with { SessionId = init.SessionId ?? r.SessionId, Model = init.Model ?? r.Model }, notify: false, persist: false);
                _persist.Request(); // a short task's final record carries it; a long one's within a second
                break;
            case AssistantEvent assistant:
                OnAssistant(assistant);
                break;
            case ToolResultEvent:
                UpdateActivity(a => a with { CurrentTool = null });
                break;
            case ResultEvent result:
                Volatile.Write(ref _result, result);
                _resultSeen.TrySetResult();
                break;
            case UnknownEvent { Type: null }:
                _plainOutput.Append(line.Span); // not JSON: the CLI printing a plain-text error (e.g. a usage limit)
                _plainOutput.Append("\n"u8);
                break;
        }
    }

    private void OnAssistant(AssistantEvent assistant)
    {
        var newTurn = assistant.MessageId is null || assistant.MessageId != _lastMessageId;
        _lastMessageId = assistant.MessageId;
        var text = assistant.Texts.LastOrDefault(t => !string.IsNullOrWhiteSpace(t));
        UpdateActivity(a => a with
        {
            Turns = a.Turns + (newTurn && !assistant.InSubagent ? 1 : 0),
            CurrentTool = assistant.ToolNames.Count > 0 ? assistant.ToolNames[^1] : a.CurrentTool,
            LastText = text ?? a.LastText,
        });
    }

    /// <summary>
    /// Keeps the latest activity and publishes it into the record at most every 50 ms (the last change is
    /// published when the interval ends): a child printing thousands of events a second costs a few record
    /// copies, not thousands. The record on disk is rewritten at most once a second.
    /// </summary>
    private void UpdateActivity(Func<ClaudeTaskActivity, ClaudeTaskActivity> change)
    {
        Volatile.Write(ref _activity, change(Volatile.Read(ref _activity)));
        _publish.Request();
    }

    /// <summary>Puts the latest activity into the record; the record reaches the disk at most once a second.</summary>
    private void PublishActivity()
    {
        var activity = Volatile.Read(ref _activity);
        Update(r => r with
        {
            Activity = activity with
            {
                LastText = activity.LastText is null ? null : TaskStore.Preview(activity.LastText),
                LastEventAt = DateTimeOffset.UtcNow,
            },
        }, notify: false, persist: false);
        _persist.Request();
    }

    /// <summary>Writes the record as it is now (other processes see the latest activity within a second).</summary>
    private void PersistNow()
    {
        lock (_persistGate)
        {
            if (!_finalWritten) Persist(_record, notify: false, final: false);
        }
    }

    private void Finish(ResultEvent? result, int? exitCode, string stderrTail, string? failure = null)
    {
        WriteFinal(result, exitCode, stderrTail, failure, child: null);
        _publish.Dispose();
        _persist.Dispose();
        _store.ClearStopRequest(Id);
        bool handedOver;
        lock (_gate)
        {
            _child = null;
            handedOver = _childHandedOver;
        }
        if (!handedOver) _done.TrySetResult(Snapshot); // else the manager's shutdown completes it (ConfirmStopped)
    }

    /// <summary>Decides the verdict and writes the final record (once: later calls change nothing).</summary>
    private void WriteFinal(ResultEvent? result, int? exitCode, string stderrTail, string? failure, ProcessIdentity? child)
    {
        ClaudeStopReason stop;
        string? stopMessage;
        lock (_gate)
        {
            // A stop asked for from another process counts even when its signal was missed.
            if (_stopReason == ClaudeStopReason.None && _store.HasStopRequest(Id))
            {
                _stopReason = ClaudeStopReason.Cancelled;
                _stopMessage = "The task was stopped from another process.";
            }
            stop = _stopReason;
            stopMessage = _stopMessage;
        }
        var verdict = failure is not null
            ? new ClaudeTaskOutcome.Verdict(ClaudeTaskState.Failed, failure)
            : ClaudeTaskOutcome.Classify(result, exitCode, stop, Spec.Timeout, stderrTail, _plainOutput.ToString());
        var error = verdict.Error;
        if (verdict.State == ClaudeTaskState.Cancelled && stopMessage is not null) error = stopMessage;
        if (verdict.State == ClaudeTaskState.Failed && result is null && Interlocked.Read(ref _oversizeLines) > 0)
            error += $" A line over {MaxLineBytes / (1024 * 1024)} MiB was not read; the whole stream is in {_store.StreamLogPath(Id)}.";
        if (_logFailed) error = (error is null ? "" : error + " ") + "Part of the child's output could not be saved (is the disk full?).";
        Update(r => r with
        {
            State = verdict.State,
            Error = error,
            EndedAt = DateTimeOffset.UtcNow,
            Child = child,
            ExitCode = exitCode,
            Result = result?.Result,
            ResultSubtype = result?.Subtype,
            TerminalReason = result?.TerminalReason,
            ApiErrorStatus = result?.ApiErrorStatus,
            CostUsd = result?.CostUsd,
            NumTurns = result?.NumTurns,
            DurationMs = result?.DurationMs,
            SessionId = result?.SessionId ?? r.SessionId,
            PermissionDenials = result?.PermissionDenials ?? [],
            Activity = r.Activity is null && Volatile.Read(ref _activity).Turns == 0
                ? null
                : Volatile.Read(ref _activity) with
                {
                    CurrentTool = null,
                    LastText = Volatile.Read(ref _activity).LastText is { } text ? TaskStore.Preview(text) : null,
                    LastEventAt = r.Activity?.LastEventAt,
                },
        }, notify: true, final: true);
    }

    /// <summary>Changes the record and writes it; after the final write, nothing else is written.</summary>
    private void Update(Func<ClaudeTaskRecord, ClaudeTaskRecord> change, bool notify, bool persist = true, bool final = false)
    {
        ClaudeTaskRecord updated;
        lock (_persistGate)
        {
            if (_finalWritten) return;
            updated = change(_record);
            Volatile.Write(ref _record, updated);
            if (final) _finalWritten = true;
            if (persist) Persist(updated, notify, final);
            _changed(updated, notify); // inside the gate, so observers see changes in order
        }
    }

    private void Persist(ClaudeTaskRecord record, bool notify, bool final)
    {
        try
        {
            _store.Write(record, notify);
        }
        catch (ClaudeTaskException e) when (e.Code == ClaudeErrorCode.StateDirectoryUnavailable && final)
        {
            // Other processes wait on the final record: keep trying in the background until it is written.
            _ = RetryFinalWriteAsync(record);
        }
        catch (ClaudeTaskException)
        {
            // A lost activity update is harmless; a removed task needs no record.
        }
    }

    private async Task RetryFinalWriteAsync(ClaudeTaskRecord record)
    {
        for (var delay = TimeSpan.FromMilliseconds(100); ; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks)))
        {
            await Task.Delay(delay).ConfigureAwait(false);
            try
            {
                _store.Write(record, notify: true);
                return;
            }
            catch (ClaudeTaskException e) when (e.Code == ClaudeErrorCode.StateDirectoryUnavailable)
            {
                // Still full or read-only: try again later.
            }
            catch (ClaudeTaskException)
            {
                return;
            }
        }
    }

    /// <summary>Closes a log once its pump has ended; a log that cannot be flushed (disk full) is noted, never fatal.</summary>
    private async Task DisposeQuietly(Stream? log, Task pump)
    {
        if (log is null) return;
        if (!pump.IsCompleted)
        {
            // A grandchild still holds the pipe: the read ends with the pipe, and the log closes after it.
            _ = pump.ContinueWith(_ => CloseLog(log), TaskScheduler.Default);
            return;
        }
        try
        {
            await log.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            _logFailed = true;
        }
    }

    private void CloseLog(Stream log)
    {
        try
        {
            log.Dispose();
        }
        catch (IOException)
        {
            _logFailed = true;
        }
    }
}
