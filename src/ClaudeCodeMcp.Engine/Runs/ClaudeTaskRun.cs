using System.Globalization;
using ClaudeCodeMcp.Engine.Processes;
using ClaudeCodeMcp.Engine.Retries;
using ClaudeCodeMcp.Engine.Store;
using ClaudeCodeMcp.Engine.Streaming;
using ClaudeCodeMcp.Engine.Worktrees;

namespace ClaudeCodeMcp.Engine.Runs;

/// <summary>
/// One task owned by this process, from queued to its final record: starts its child when given a slot, watches
/// for its exit, a stop request or a result it lingers after, and decides its verdict. The child itself is a
/// <see cref="ChildProcess"/>, its output is drained by <see cref="ChildOutput"/> into an <see cref="ActivityTracker"/>,
/// and its record is kept by a <see cref="RunRecordWriter"/>; the final write happens before <see cref="Completion"/>
/// completes, so other processes see it first. A run that ends on a rate limit, an overload or a server error is
/// started again on its session, up to <see cref="ClaudeTaskSpec.MaxRetries"/> times (<see cref="RetryableEnd"/>); while
/// it waits the task is queued, keeps its slot (so the tasks behind it do not rush into the same limit) and says until when.
/// </summary>
internal sealed class ClaudeTaskRun
{
    /// <summary>The longest stdout line the engine reads (longer ones are only logged).</summary>
    internal const int MaxLineBytes = ChildOutput.MaxLineBytes;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DrainBound = TimeSpan.FromMinutes(1);

    private readonly object _gate = new();
    private readonly TaskStore _store;
    private readonly ClaudeEngineOptions _options;
    private IReadOnlyDictionary<string, string>? _environment; // dropped once the child has it
    private readonly string _claudePath;
    private readonly RunRecordWriter _record;
    private ActivityTracker _activity; // one per run of the child
    private Timer? _timeout; // from the first start of the child; runs through the waits between runs
    private ClaudeTokenUsage? _spentUsage; // the earlier runs' tokens and cost
    private double? _spentCost;
    private readonly TaskCompletionSource<ClaudeTaskRecord> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClaudeStopReason _stopReason;
    private string? _stopMessage;
    private TimeSpan? _stopGrace;
    private bool _started;
    private bool _notedWaiting;
    private bool _childHandedOver; // the manager's shutdown stops the child; this run only waits for its exit
    private ProcessIdentity? _child;
    private ChildOutput? _output;
    private bool _worktreeReady; // the child's worktree exists: its end commits and inspects it

    /// <summary>A queued task; <paramref name="stopping"/> is cancelled when the manager is disposed (a final write still being retried gives up).</summary>
    public ClaudeTaskRun(ClaudeTaskRecord record, ClaudeTaskSpec spec, string claudePath, TaskStore store,
        ClaudeEngineOptions options, IReadOnlyDictionary<string, string> environment, Action<ClaudeTaskRecord, bool> changed,
        CancellationToken stopping)
    {
        Spec = spec;
        _claudePath = claudePath;
        _store = store;
        _options = options;
        _environment = environment;
        _record = new RunRecordWriter(record, (r, notify) => store.Write(r, notify), changed, FinalWriteRetry.Default, stopping);
        _activity = new ActivityTracker(_record);
    }

    public string Id => _record.Current.Id;

    /// <summary>Where this task's slot comes from.</summary>
    public required ClaudeTaskThrottle Throttle { get; init; }

    /// <summary>
    /// The working directory with every link resolved, as it was when the task was accepted. A queued task's folder can be
    /// swapped for a link meanwhile (to a folder a server's allowed folders exclude, say): the child starts only if the
    /// folder still resolves here.
    /// </summary>
    public string? ResolvedFolder { get; init; }

    /// <summary>The worktree the task runs in, when it is isolated.</summary>
    public TaskIsolation? Isolation { get; init; }
    public ClaudeTaskSpec Spec { get; }
    public ClaudeTaskRecord Snapshot => _record.Current;
    public Task<ClaudeTaskRecord> Completion => _done.Task;

    /// <summary>
    /// After <see cref="Completion"/>: true once the settled record (final, naming no child) is on disk, so readers
    /// can take it from the store; false when it could not be written (this run then stays the only one that knows).
    /// </summary>
    public Task<bool> Settled => _record.Settled;

    /// <summary>Asks the task to end. A queued task ends at once; a running one has its tree stopped.</summary>
    public void RequestStop(ClaudeStopReason reason, string? message = null, TimeSpan? grace = null)
    {
        bool finishNow;
        lock (_gate)
        {
            if (grace is not null) _stopGrace = grace;
            if (_stopReason != ClaudeStopReason.None || _record.Current.IsFinished) return;
            _stopReason = reason;
            _stopMessage = message;
            finishNow = !_started;
            if (finishNow) _started = true; // a queued task will never start now
        }
        _stopRequested.TrySetResult();
        if (finishNow) Finish(exitCode: null, stderrTail: "");
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
        if (queued) Finish(exitCode: null, stderrTail: "");
        else if (child is not null) WriteFinal(exitCode: null, stderrTail: "", failure: null, child);
        return child;
    }

    /// <summary>After <see cref="RecordShutdown"/>: the child's tree was stopped; once it is gone its identity leaves the record.</summary>
    public void ConfirmStopped()
    {
        _record.AmendFinal(r => r.Child is { } child && !child.IsAlive() ? r with { Child = null } : null);
        _done.TrySetResult(Snapshot);
    }

    /// <summary>Says in the record, once, why the queued task has not started yet (every store-wide slot is held).</summary>
    public void NoteWaiting(string why)
    {
        lock (_gate)
        {
            if (_started || _notedWaiting) return;
            _notedWaiting = true;
        }
        _record.Update(r => r.State == ClaudeTaskState.Queued ? r with { Activity = new ClaudeTaskActivity { Waiting = why } } : r, notify: true);
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
            Finish(exitCode: null, stderrTail: "");
            return;
        }
        if (Isolation is { } isolation)
        {
            try
            {
                if (isolation.MustCreate) await isolation.Worktrees.CreateAsync(Snapshot.Worktree!, Spec.WorkingDirectory).ConfigureAwait(false);
                Volatile.Write(ref _worktreeReady, true);
            }
            catch (Exception e) when (e is ClaudeTaskException or IOException or UnauthorizedAccessException)
            {
                Finish(exitCode: null, stderrTail: "", failure: $"The task's worktree could not be made: {e.Message}");
                return;
            }
        }
        if (ResolvedFolder is { } accepted && RealPath.Of(Spec.WorkingDirectory) is var now && now != accepted)
        {
            Finish(exitCode: null, stderrTail: "", failure: $"The working directory '{Spec.WorkingDirectory}' now leads to '{now}', not to '{accepted}' as when "
                + "the task was accepted (a folder or link on the way was replaced meanwhile), so the task was not started. Check the folder and start the task again.");
            return;
        }
        var spec = Spec;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                if (await RunChildAsync(spec, attempt).ConfigureAwait(false) is not { } ended) return; // it could not start, or was lost: finished
                var retry = attempt <= Spec.MaxRetries ? RetryableEndOf(ended) : null;
                if (retry is null || !await WaitToRetryAsync(retry, attempt).ConfigureAwait(false))
                {
                    Finish(ended.ExitCode, ended.StderrTail);
                    return;
                }
                spec = NextRun(retry);
            }
        }
        finally
        {
            _timeout?.Dispose();
        }
    }

    /// <summary>How one run of the child ended.</summary>
    private sealed record ChildEnd(int? ExitCode, string StderrTail);

    /// <summary>Runs the child once, to its exit; null when it could not start or was lost (the task is then finished).</summary>
    private async Task<ChildEnd?> RunChildAsync(ClaudeTaskSpec spec, int attempt)
    {
        var activity = Volatile.Read(ref _activity);
        ChildOutput? output = null;
        ChildProcess? process = null;
        try
        {
            output = new ChildOutput(_store, Id, _options.MaxStreamLogBytes, () => RequestStop(ClaudeStopReason.OutputLimit), append: attempt > 1);
            Volatile.Write(ref _output, output);
            process = ChildProcess.Start(_claudePath, ClaudeArguments.Build(spec), spec.WorkingDirectory, _environment!);
            if (Spec.MaxRetries == 0) _environment = null; // the child has its environment: this copy need not live as long as the task
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or ClaudeTaskException)
        {
            if (output is not null) await output.CloseLogAsync().ConfigureAwait(false);
            Finish(exitCode: null, stderrTail: "", failure: $"Claude Code could not be started from '{_claudePath}': {e.Message}");
            return null;
        }

        try
        {
            var child = process.Identity;
            lock (_gate) _child = child; // from here a shutdown hands the child to the manager (RecordShutdown)
            var started = DateTimeOffset.UtcNow;
            // Running from now on for everyone in this process; on disk a moment later, off the thread that started the
            // task (a start answers its caller without waiting for the disk). The child is already the watchdog's.
            _record.Update(r => r with
            {
                State = ClaudeTaskState.Running, StartedAt = attempt == 1 ? started : r.StartedAt ?? started, Child = child, Activity = null,
                Attempts = attempt, RetryAt = null,
            }, notify: true, persist: false);
            _record.PersistSoon();
            _record.MarkPersisted(); // activity reaches the disk a second after the start, not with the first event
            if (attempt == 1 && Spec.Timeout is { } limit) _timeout = new Timer(_ => RequestStop(ClaudeStopReason.TimedOut), null, limit, Timeout.InfiniteTimeSpan);

            var stdin = process.WriteInputAsync(spec.Prompt);
            output.Start(process.StandardOutput, process.StandardError, activity.OnLine);
            try
            {
                await SuperviseAsync(process, activity).ConfigureAwait(false);
                await DrainAsync(process, output, stdin).ConfigureAwait(false);
            }
            finally
            {
                await output.CloseLogAsync().ConfigureAwait(false);
            }
            var exitCode = process.ExitCode;
            process.Dispose();
            return new ChildEnd(exitCode, output.StderrTail);
        }
        catch (Exception e)
        {
            // Whatever went wrong, the child must not outlive its supervision, and the task must end.
            process.Kill();
            process.Dispose();
            Finish(null, output.StderrTail, failure: $"The engine lost track of the child ({e.GetType().Name}: {e.Message}); it was stopped.");
            return null;
        }
    }

    /// <summary>
    /// After the child's exit: waits a little (<see cref="DrainTimeout"/>) for its pipes to close, not for a grandchild that
    /// keeps them open. But while nobody can write to stdout any more, what is left there is unread only because this
    /// process is busy (a loaded machine, a starved thread pool): that is read to the end, or the result line in it would
    /// be lost and a completed task called failed. <see cref="DrainBound"/> only catches a hang.
    /// </summary>
    private async Task DrainAsync(ChildProcess process, ChildOutput output, Task stdin)
    {
        await Task.WhenAny(Task.WhenAll(output.Closed, stdin), Task.Delay(DrainTimeout)).ConfigureAwait(false);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!output.StdoutClosed.IsCompleted && process.StandardOutputWritersGone)
        {
            if (clock.Elapsed >= DrainBound)
            {
                System.Diagnostics.Trace.TraceWarning($"Task {Id}: the child's output was not read to its end {DrainBound.TotalSeconds:0} s after it exited; the task ends with what was read.");
                return;
            }
            await Task.WhenAny(output.StdoutClosed, Task.Delay(DrainTimeout)).ConfigureAwait(false);
        }
    }

    /// <summary>How the run ended, when a later run can get past it and the task was not asked to stop; else null.</summary>
    private RetryableEnd? RetryableEndOf(ChildEnd ended)
    {
        ClaudeStopReason stop;
        lock (_gate) stop = _stopReason;
        if (stop == ClaudeStopReason.None && _store.HasStopRequest(Id)) return null; // stopped from another process
        var activity = Volatile.Read(ref _activity);
        var verdict = ClaudeTaskOutcome.Classify(activity.Result, ended.ExitCode, stop, Spec.Timeout, ended.StderrTail, activity.PlainOutput,
            structuredOutputAsked: Spec.JsonSchema is not null);
        return RetryableEnd.Classify(verdict.State, stop, activity.Result, ended.StderrTail + "\n" + activity.PlainOutput);
    }

    /// <summary>
    /// Between two runs: the task is queued again, says until when and why, and keeps what the run spent; returns true once
    /// the wait is over, false when the task was asked to stop meanwhile (cancel, timeout, shutdown).
    /// </summary>
    private async Task<bool> WaitToRetryAsync(RetryableEnd end, int attempt)
    {
        var activity = Volatile.Read(ref _activity);
        var now = DateTimeOffset.UtcNow;
        var wait = RetryDelay.For(end, attempt, activity.LastApiRetryDelay, now, _options.RetryBaseDelay, _options.RetryMaxDelay, Random.Shared);
        var until = now + wait;
        var result = activity.Result;
        _spentUsage = Sum(_spentUsage, result?.Usage);
        _spentCost = Sum(_spentCost, result?.CostUsd);
        activity.Stop();
        Volatile.Write(ref _activity, new ActivityTracker(_record));
        var why = $"waiting until {until.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC to run again "
                  + $"(run {attempt + 1} of at most {Spec.MaxRetries + 1}): {end.Reason}";
        lock (_gate)
        {
            _child = null;
            if (_stopReason != ClaudeStopReason.None) return false;
        }
        _record.Update(r => r with
        {
            State = ClaudeTaskState.Queued,
            Child = null,
            RetryAt = until,
            Activity = new ClaudeTaskActivity { Waiting = why },
            SessionId = result?.SessionId ?? r.SessionId,
            Usage = _spentUsage,
            CostUsd = _spentCost,
            LastOutputAt = activity.LastOutputAt ?? r.LastOutputAt,
        }, notify: true);
        var first = await Task.WhenAny(Task.Delay(wait), _stopRequested.Task).ConfigureAwait(false);
        return first != _stopRequested.Task && !_store.HasStopRequest(Id);
    }

    /// <summary>The next run: the same task continued on its session, told why it was cut off; from the start when it has no session yet.</summary>
    private ClaudeTaskSpec NextRun(RetryableEnd end) => _record.Current.SessionId is { } session && Guid.TryParseExact(session, "D", out _)
        ? Spec with { ResumeSessionId = session, ForkSession = false, Prompt = $"Your previous attempt was cut off: {end.Reason}. Continue the task where you left off." }
        : Spec;

    private static ClaudeTokenUsage? Sum(ClaudeTokenUsage? spent, ClaudeTokenUsage? run) => spent is null ? run : run is null ? spent : spent.Add(run);

    private static double? Sum(double? spent, double? run) => spent is null ? run : run is null ? spent : spent + run;

    /// <summary>Waits for the child to exit, for a stop request, or for a result the child lingers after.</summary>
    private async Task SuperviseAsync(ChildProcess process, ActivityTracker activity)
    {
        var exited = process.Exited;
        var first = await Task.WhenAny(exited, _stopRequested.Task, activity.ResultSeen).ConfigureAwait(false);
        if (first == activity.ResultSeen && !exited.IsCompleted)
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
        if (!handedOver) await process.StopAsync(stopGrace).ConfigureAwait(false);
        // The tree has been sent SIGKILL; the exit follows within moments.
        await process.WaitForExitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }

    private void Finish(int? exitCode, string stderrTail, string? failure = null)
    {
        WriteFinal(exitCode, stderrTail, failure, child: null);
        Volatile.Read(ref _activity).Stop();
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
    private void WriteFinal(int? exitCode, string stderrTail, string? failure, ProcessIdentity? child)
    {
        var output = Volatile.Read(ref _output);
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
        var activity = Volatile.Read(ref _activity);
        var result = activity.Result;
        var verdict = failure is not null
            ? new ClaudeTaskOutcome.Verdict(ClaudeTaskState.Failed, failure)
            : ClaudeTaskOutcome.Classify(result, exitCode, stop, Spec.Timeout, stderrTail, activity.PlainOutput, structuredOutputAsked: Spec.JsonSchema is not null);
        var error = verdict.Error;
        if (verdict.State == ClaudeTaskState.Cancelled && stopMessage is not null) error = stopMessage;
        if (verdict.State == ClaudeTaskState.Failed && result is null && output?.OversizeLines > 0)
            error += $" A line over {MaxLineBytes / (1024 * 1024)} MiB was not read; the whole stream is in {_store.StreamLogPath(Id)}.";
        if (verdict.State == ClaudeTaskState.Failed && stop == ClaudeStopReason.OutputLimit)
            error += $" Its first {Bytes(_options.MaxStreamLogBytes)} are in {_store.StreamLogPath(Id)}.";
        if (verdict.State == ClaudeTaskState.Failed && _record.Current.Attempts > 1)
            error += $" The task ran {_record.Current.Attempts} times: its {Spec.MaxRetries} retries are used up.";
        if (output?.LogFailed == true) error = (error is null ? "" : error + " ") + "Part of the child's output could not be saved (is the disk full?).";
        var worktree = child is null ? SettleWorktree(verdict.State) : Uninspected(_record.Current.Worktree);
        _record.Update(r => r with
        {
            Worktree = worktree ?? r.Worktree,
            State = verdict.State,
            Error = error,
            EndedAt = DateTimeOffset.UtcNow,
            Child = child,
            ExitCode = exitCode,
            Result = result?.Result,
            ResultSubtype = result?.Subtype,
            TerminalReason = result?.TerminalReason,
            ApiErrorStatus = result?.ApiErrorStatus,
            CostUsd = Sum(_spentCost, result?.CostUsd),
            NumTurns = result?.NumTurns,
            DurationMs = result?.DurationMs,
            SessionId = result?.SessionId ?? r.SessionId,
            PermissionDenials = result?.PermissionDenials ?? [],
            Usage = Sum(_spentUsage, result?.Usage),
            RetryAt = null,
            StructuredOutput = result?.StructuredOutput,
            LastOutputAt = activity.LastOutputAt ?? r.LastOutputAt,
            Activity = activity.Final(r.Activity),
        }, notify: true, final: true);
    }

    private static string Bytes(long count) => count >= 1L << 30 && count % (1L << 30) == 0 ? $"{count >> 30} GiB"
        : count >= 1 << 20 && count % (1 << 20) == 0 ? $"{count >> 20} MiB" : $"{count:N0} bytes";

    /// <summary>A worktree whose task ended in its owner's shutdown, which has no time for git: the record says it was not looked at.</summary>
    private ClaudeTaskWorktree? Uninspected(ClaudeTaskWorktree? worktree) =>
        Volatile.Read(ref _worktreeReady) && worktree is not null ? worktree with { Problem = ClaudeTaskWorktree.NotInspected } : null;

    /// <summary>
    /// At the task's end (not in a shutdown, which has no time for git): a completed task's leftovers are committed on its
    /// branch, unless it was asked not to, and the worktree is inspected for the final record. Null when there is none.
    /// </summary>
    private ClaudeTaskWorktree? SettleWorktree(ClaudeTaskState state)
    {
        if (!Volatile.Read(ref _worktreeReady) || Isolation is not { } isolation || _record.Current is not { IsFinished: false, Worktree: { } worktree })
            return null;
        var commit = state == ClaudeTaskState.Completed && worktree.CommitOnCompletion;
        return isolation.Worktrees.Settle(worktree, commit, TaskIsolation.CommitMessage(Id, Spec.Name, Spec.Prompt));
    }
}
