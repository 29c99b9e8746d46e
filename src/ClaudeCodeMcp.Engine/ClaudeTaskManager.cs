using System.Collections.Concurrent;
using ClaudeCodeMcp.Engine.Processes;
using ClaudeCodeMcp.Engine.Runs;
using ClaudeCodeMcp.Engine.Store;
using ClaudeCodeMcp.Engine.Worktrees;

namespace ClaudeCodeMcp.Engine;

/// <summary>
/// The engine's public face: start, get, list, wait, stop and remove tasks. Tasks this process starts run
/// here, throttled first in first out; tasks of other processes are read from, and stopped through, the
/// shared store. Disposing the manager stops every child it owns.
/// </summary>
public sealed class ClaudeTaskManager : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan ForeignRecheck = TimeSpan.FromSeconds(2);

    private readonly ClaudeEngineOptions _options;
    private readonly IReadOnlyDictionary<string, string> _baseEnvironment;
    private readonly ConcurrentDictionary<string, ClaudeTaskRun> _runs = new(StringComparer.Ordinal);
    private readonly List<ClaudeTaskRun> _queue = [];
    private readonly ClaudeTaskThrottle _throttle;
    private readonly object _gate = new();
    private readonly object _startGate = new();
    private readonly FileSystemWatcher? _watcher;
    private readonly System.Threading.Channels.Channel<ClaudeTaskRecord> _notifications =
        System.Threading.Channels.Channel.CreateUnbounded<ClaudeTaskRecord>(new() { SingleReader = true });
    private readonly Task _delivery;
    private readonly Timer? _stopScan;
    private readonly ChildSlots _slots;
    private readonly Timer _slotRetry; // every slot was held: look again soon (a slot of another process frees unseen)
    private readonly object _recoveryGate = new();
    private readonly CancellationTokenSource _disposing = new(); // what a run still does in the background ends with the manager
    private TaskCompletionSource _pulse = NewPulse();
    private Task? _shutdown;
    private int _running;
    private int _disposed;
    private int _warmedUp;

    public ClaudeTaskManager(ClaudeEngineOptions? options = null)
    {
        _options = options ?? new ClaudeEngineOptions();
        _baseEnvironment = _options.BaseEnvironment ?? ChildEnvironment.Current();
        _throttle = new ClaudeTaskThrottle(_options.ThrottleLimit);
        _throttle.LimitChanged += Pump;
        Store = new TaskStore(_options.StateDirectory ?? Engine.Store.StateDirectory.Default(_baseEnvironment));
        _slots = new ChildSlots(Store.Root, ChildSlots.LimitOf(_options.MaxChildren, _baseEnvironment));
        _slotRetry = new Timer(_ => Pump(), null, Timeout.Infinite, Timeout.Infinite);
        try
        {
            _watcher = Store.Watch(OnSignal);
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            // No notifications (e.g. the inotify limit): stop requests are looked for every few seconds, and
            // waits on other processes' tasks re-read their records.
            _watcher = null;
            _stopScan = new Timer(_ => ScanStopRequests(), null, ForeignRecheck, ForeignRecheck);
        }
        // Off the start path: with thousands of tasks the search reads every record. Until it is done, reading a
        // dead owner's task recovers that task on the spot (Get, List, WaitAsync), so nothing waits for it.
        _ = Task.Run(RecoverOrphans);
        _delivery = Task.Run(DeliverNotificationsAsync);
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>Raised when a task of this process changes (state or activity). Runs on an engine thread.</summary>
    public event Action<ClaudeTaskRecord>? TaskChanged;

    internal TaskStore Store { get; }

    /// <summary>The state folder this manager's tasks live in (shared with every process that names it).</summary>
    public string StateDirectory => Store.Root;

    /// <summary>
    /// Every task in a state folder as it is on disk, for a caller that must not create, watch or repair anything
    /// (tab completion): nothing when the folder holds no tasks.
    /// </summary>
    public static IReadOnlyList<ClaudeTaskRecord> Peek(string stateDirectory) =>
        Directory.Exists(Path.Combine(stateDirectory, TaskStore.TasksFolder)) ? new TaskStore(stateDirectory).List() : [];

    /// <summary>At most this many children of this manager run at once; more wait, first in first out.</summary>
    public int ThrottleLimit
    {
        get => _throttle.Limit;
        set => _throttle.Limit = value;
    }

    /// <summary>Children of this manager running now.</summary>
    public int RunningCount => Volatile.Read(ref _running);

    /// <summary>
    /// Queues a task and returns its first snapshot (running if a slot was free). Its slot comes from
    /// <paramref name="throttle"/> when given (a caller's own batch), else from the manager's throttle.
    /// </summary>
    public ClaudeTaskRecord Start(ClaudeTaskSpec spec, ClaudeTaskThrottle? throttle = null)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new ClaudeTaskException(ClaudeErrorCode.ShuttingDown,
                "The process that runs the tasks is shutting down (it is stopping its tasks); the task was not started.");
        }
        ClaudeArguments.Validate(spec);
        var workingDirectory = Path.GetFullPath(spec.WorkingDirectory);
        if (!Directory.Exists(workingDirectory))
        {
            throw new ClaudeTaskException(ClaudeErrorCode.WorkingDirectoryNotFound,
                $"The working directory '{workingDirectory}' does not exist. Create it or pass an existing folder.");
        }
        spec = spec with { WorkingDirectory = workingDirectory };
        if (spec.Settings is { } settings) spec = spec with { Settings = ClaudeArguments.SettingsValue(spec, settings) };
        var inherited = spec.InheritedEnvironment ?? _baseEnvironment;
        var depth = TaskNesting.DepthOf(inherited);
        TaskNesting.Check(depth, TaskNesting.MaxDepthOf(_options.MaxDepth, inherited));
        if (SpendGuard.BudgetOf(_options.DailyBudgetUsd, inherited) is { } budget) SpendGuard.Check(budget, Store.List(), DateTimeOffset.UtcNow);
        var claude = ClaudeExecutableLocator.Locate(spec.ClaudePath ?? _options.ClaudePath, inherited);
        var environment = ChildEnvironment.Build(inherited, _options.Environment, spec.Environment);
        int queued;
        lock (_gate) queued = _queue.Count(r => !r.Snapshot.IsFinished);
        if (queued >= _options.MaxQueuedTasks)
        {
            throw new ClaudeTaskException(ClaudeErrorCode.QueueFull,
                $"{queued:N0} tasks of this process are already waiting to start (the limit is {_options.MaxQueuedTasks:N0}). Wait for some to finish, or stop some, then start more.");
        }
        var isolation = TaskIsolation.Prepare(spec, Store, new Git(inherited));
        var record = Store.Create(id => new ClaudeTaskRecord
        {
            Id = id,
            Name = spec.Name,
            State = ClaudeTaskState.Queued,
            PromptPreview = "",
            WorkingDirectory = isolation?.ChildFolder(id) ?? workingDirectory,
            Worktree = isolation?.Worktree(id),
            RequestedModel = spec.Model,
            PermissionMode = spec.PermissionMode,
            SkipPermissions = spec.SkipPermissions,
            ResumeSessionId = spec.ResumeSessionId,
            TimeoutSeconds = spec.Timeout?.TotalSeconds,
            MaxRetries = spec.MaxRetries,
            CreatedAt = DateTimeOffset.UtcNow,
            Owner = ProcessIdentity.Current,
            Depth = depth + 1,
        }, spec.Prompt, notify: false);
        TaskNesting.Mark(environment, depth, record.Id);
        if (throttle is not null && throttle != _throttle)
        {
            throttle.LimitChanged -= Pump; // once per throttle, however many tasks share it
            throttle.LimitChanged += Pump;
        }
        if (Interlocked.Exchange(ref _warmedUp, 1) == 0) _ = Task.Run(ProcessTree.WarmUp); // this process will have children to stop
        spec = spec with { WorkingDirectory = record.WorkingDirectory };
        var run = new ClaudeTaskRun(record, spec, claude, Store, _options, environment, OnRunChanged, _disposing.Token)
        {
            Throttle = throttle ?? _throttle,
            Isolation = isolation,
            // Where the folder leads now; checked again just before the child starts (a worktree the engine makes itself needs no check).
            ResolvedFolder = isolation is { MustCreate: true } ? null : RealPath.Of(record.WorkingDirectory),
        };
        lock (_gate)
        {
            _runs[record.Id] = run;
            _queue.Add(run);
            if (_disposed != 0) run.RequestStop(ClaudeStopReason.Cancelled, "The task was stopped because the engine was shutting down.");
        }
        _ = ReleaseWhenSettledAsync(run);
        Pump();
        var snapshot = run.Snapshot;
        if (snapshot.State == ClaudeTaskState.Queued) NotifyQuietly(record.Id); // else its first run's record tells other processes
        return snapshot;
    }

    /// <summary>
    /// Lets go of a run once it is settled (its final record on disk, its child gone): from then on its record is
    /// read from the store like any other, and its spec and environment no longer weigh on this process. A run
    /// whose final record could not be written stays: this process is the only one that knows how it ended.
    /// </summary>
    private async Task ReleaseWhenSettledAsync(ClaudeTaskRun run)
    {
        await run.Completion.ConfigureAwait(false);
        if (!await run.Settled.ConfigureAwait(false)) return;
        lock (_gate)
        {
            _runs.TryRemove(new KeyValuePair<string, ClaudeTaskRun>(run.Id, run));
            _queue.Remove(run);
        }
    }

    /// <summary>The task's latest snapshot, or null when there is no such task.</summary>
    public ClaudeTaskRecord? Get(string id)
    {
        id = TaskId.Validate(id);
        if (_runs.TryGetValue(id, out var run)) return run.Snapshot;
        var record = Store.Read(id);
        return record is { IsSettled: false } ? RecoverIfOrphaned(record) ?? record : record;
    }

    /// <summary>Every task in the store (this process's and others'), newest first.</summary>
    public IReadOnlyList<ClaudeTaskRecord> List()
    {
        var records = Store.List();
        for (var i = 0; i < records.Count; i++)
        {
            if (_runs.TryGetValue(records[i].Id, out var run)) records[i] = run.Snapshot;
            else if (!records[i].IsSettled) records[i] = RecoverIfOrphaned(records[i]) ?? records[i];
        }
        return records;
    }

    /// <summary>A readable page of a task's transcript (assistant text, tool calls, short tool results).</summary>
    public Transcript.TranscriptPage ReadTranscript(string id, long offset = 0, int maxChars = 20_000) =>
        ReadTranscript(GetRequired(TaskId.Validate(id)), offset, maxChars);

    /// <summary>A readable page of the transcript of a task already in hand (no second look-up).</summary>
    public Transcript.TranscriptPage ReadTranscript(ClaudeTaskRecord task, long offset = 0, int maxChars = 20_000) =>
        Transcript.TranscriptReader.ReadPage(Store.StreamLogPath(task.Id), offset, maxChars);

    /// <summary>
    /// A page of the transcript past <paramref name="offset"/>, waiting up to <paramref name="wait"/> for the task to
    /// print something there: it returns as soon as there is text, when the task ends, or, empty, when the wait is over.
    /// Tasks of other processes are followed alike.
    /// </summary>
    public Task<Transcript.TranscriptPage> WaitForTranscriptAsync(ClaudeTaskRecord task, long offset, int maxChars, TimeSpan wait,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero);
        return Transcript.TranscriptWait.ReadAsync(() => Get(task.Id), Store.StreamLogPath(task.Id), offset, maxChars, wait, cancellationToken);
    }

    /// <summary>A cursor that gives a task's transcript piece by piece as the child prints it (<see cref="Transcript.TranscriptCursor"/>).</summary>
    public Transcript.TranscriptCursor FollowTranscript(string id)
    {
        var task = GetRequired(TaskId.Validate(id));
        return new Transcript.TranscriptCursor(task.Id, Store.StreamLogPath(task.Id));
    }

    /// <summary>Every event the task's child has printed so far, parsed as the engine read them live; read lazily.</summary>
    public IEnumerable<Streaming.StreamEvent> ReadEvents(string id) =>
        Streaming.StreamLog.ReadEvents(Store.StreamLogPath(GetRequired(TaskId.Validate(id)).Id));

    /// <summary>The whole prompt of a task.</summary>
    public string? GetPrompt(string id) => Store.ReadPrompt(TaskId.Validate(id));

    /// <summary>
    /// Waits until all (or any) of the tasks have finished, the timeout passes, or the token is cancelled
    /// (which throws). Returns the tasks' snapshots either way; check their states.
    /// </summary>
    public async Task<IReadOnlyList<ClaudeTaskRecord>> WaitAsync(IEnumerable<string> ids, ClaudeWaitMode mode = ClaudeWaitMode.All,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var wanted = ids.Select(TaskId.Validate).Distinct(StringComparer.Ordinal).ToList();
        using var timeoutSource = new CancellationTokenSource(timeout ?? Timeout.InfiniteTimeSpan);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        while (true)
        {
            var pulse = Volatile.Read(ref _pulse).Task;
            var snapshots = wanted.Select(GetRequired).ToList();
            var finished = snapshots.Count(s => s.IsFinished);
            if (finished == snapshots.Count || (mode == ClaudeWaitMode.Any && finished > 0)) return snapshots;
            var foreign = snapshots.Where(s => !s.IsFinished && !_runs.ContainsKey(s.Id)).ToList();
            if (foreign.Any(s => RecoverIfOrphaned(s) is not null)) continue;
            var recheck = foreign.Count > 0 ? Task.Delay(ForeignRecheck, linked.Token) : Task.Delay(Timeout.Infinite, linked.Token);
            await Task.WhenAny(pulse, recheck).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (timeoutSource.IsCancellationRequested) return wanted.Select(GetRequired).ToList();
        }
    }

    /// <summary>
    /// <see cref="WaitAsync(IEnumerable{string}, ClaudeWaitMode, TimeSpan?, CancellationToken)"/> that also reports
    /// where the tasks stand through <paramref name="progress"/>, rate-limited as it says.
    /// </summary>
    public Task<IReadOnlyList<ClaudeTaskRecord>> WaitAsync(IEnumerable<string> ids, ClaudeWaitMode mode, TimeSpan? timeout,
        Waiting.ClaudeWaitProgress? progress, CancellationToken cancellationToken = default)
    {
        var wanted = ids.Select(TaskId.Validate).Distinct(StringComparer.Ordinal).ToList();
        return progress is null
            ? WaitAsync(wanted, mode, timeout, cancellationToken)
            : Waiting.ProgressWaiter.RunAsync(this, wanted, mode, timeout, progress, cancellationToken);
    }

    /// <summary>Stops a task and its whole process tree, whichever process owns it; returns its final record.</summary>
    public async Task<ClaudeTaskRecord> StopAsync(string id, CancellationToken cancellationToken = default)
    {
        id = TaskId.Validate(id);
        if (_runs.TryGetValue(id, out var run))
        {
            run.RequestStop(ClaudeStopReason.Cancelled);
            return await run.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        // Read the store itself: Get would record an orphan as failed before it could be recorded as stopped.
        var record = Store.Read(id) ?? throw NotFound(id);
        if (record.IsFinished) return record;
        if (RecoverIfOrphaned(record, ClaudeTaskState.Cancelled) is { } recovered) return recovered;

        // Ask the owner, which watches the store; if it does not act, stop the child ourselves.
        Store.RequestStop(id);
        var ownerWindow = _options.StopGracePeriod + TimeSpan.FromSeconds(3);
        record = await WaitForFinishAsync(id, ownerWindow, cancellationToken).ConfigureAwait(false);
        if (record.IsFinished) return record;
        // Only a child proven the task's is signalled: the record is a file anyone who can write the store could have made.
        var leftAlone = record.Child is { } child && child.IsAlive()
            && !await RecordedChild.StopAsync(child, id, _options.StopGracePeriod).ConfigureAwait(false) && child.IsAlive()
            ? child : null;
        record = await WaitForFinishAsync(id, TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
        if (RecoverIfOrphaned(record, ClaudeTaskState.Cancelled) is { } orphan) return orphan;
        if (record.IsFinished) return record;
        // The owner lives but does not answer (frozen, or busy): its child is gone, so record the stop here.
        // The stop request stays, so the owner records the same when it wakes.
        var stopped = record with
        {
            State = ClaudeTaskState.Cancelled,
            Error = "The task was stopped from another process (its owner did not respond)"
                + (leftAlone is null ? "." : $"; {RecordedChild.LeftAlone(leftAlone)}."),
            EndedAt = DateTimeOffset.UtcNow,
            Child = null,
        };
        Store.Write(stopped, notify: true, durable: true);
        return stopped;
    }

    /// <summary>
    /// Forgets a finished task and deletes its state; with <paramref name="force"/>, stops a running one first. A worktree
    /// task's worktree goes too, but never its work: uncommitted changes refuse the removal unless forced (which discards
    /// them and says so), and a branch with commits beyond its base is kept. Returns what was done, in words.
    /// </summary>
    public async Task<ClaudeTaskRemoval> RemoveAsync(string id, bool force = false, CancellationToken cancellationToken = default)
    {
        var record = GetRequired(TaskId.Validate(id));
        if (!record.IsFinished && !force)
        {
            throw new ClaudeTaskException(ClaudeErrorCode.TaskStillRunning,
                $"Task {record.Id} is still {record.State.ToWireName()}. Stop it first.")
            { TaskId = record.Id, Hint = ClaudeHint.ForceRemove };
        }
        var worktrees = new TaskWorktrees(new Git(_baseEnvironment));
        if (record.Worktree is { } planned && !force) WorktreeRemoval.Check(worktrees, record.Id, planned, force: false); // refuse before anything changes
        if (!record.IsFinished) record = await StopAsync(record.Id, cancellationToken).ConfigureAwait(false);
        var removal = new ClaudeTaskRemoval { TaskId = record.Id, Message = $"Task {record.Id} was removed." };
        if (record.Worktree is { } worktree)
        {
            var current = WorktreeRemoval.Check(worktrees, record.Id, worktree, force);
            var usedBy = Store.List().FirstOrDefault(r => r.Id != record.Id && r.Worktree?.Path == worktree.Path)?.Id;
            removal = WorktreeRemoval.Remove(worktrees, record.Id, current, usedBy);
        }
        _runs.TryRemove(record.Id, out _);
        Store.Delete(record.Id);
        Pulse();
        return removal;
    }

    /// <summary>
    /// Stops every child this manager owns, for a process about to end, against a deadline that holds on a busy
    /// machine (Claude Code SIGKILLs its stdio servers 0.5 s after the SIGINT that ends a run): each running task's
    /// final record is written first, then every child gets SIGTERM at once, and whatever is left of their trees
    /// after <see cref="ClaudeEngineOptions.ShutdownGracePeriod"/> is killed on a thread of its own, so a saturated
    /// thread pool cannot delay it. Returns at once; <see cref="DisposeAsync"/> waits for the end. Safe to call more
    /// than once, from a signal handler or a cancellation callback; no task starts afterwards.
    /// </summary>
    public void BeginShutdown() => StartShutdown();

    /// <summary>Stops every child this manager owns (<see cref="BeginShutdown"/>) and waits until their records are final and their trees gone.</summary>
    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        await StartShutdown().ConfigureAwait(false);
        _disposing.Cancel(); // a final record still being retried is given up
    }

    private Task StartShutdown()
    {
        List<ClaudeTaskRun> runs;
        TaskCompletionSource stopped;
        lock (_gate)
        {
            if (_shutdown is not null) return _shutdown;
            _disposed = 1; // from here a task that is started ends at once (Start)
            runs = [.. _runs.Values];
            stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _shutdown = FinishShutdownAsync(stopped.Task, runs);
        }
        // Stop requests from other processes no longer matter, and our own writes below must not wake us.
        _watcher?.Dispose();
        _stopScan?.Dispose();
        _slotRetry.Dispose();
        // The cheap writes first: should this process be killed from here on, its records already say what happened.
        var handedOver = new List<(ClaudeTaskRun Run, ProcessIdentity Child)>();
        foreach (var run in runs)
        {
            if (run.RecordShutdown(ShutdownMessage, _options.ShutdownGracePeriod) is { } child) handedOver.Add((run, child));
        }
        ChildShutdown.Begin(handedOver.ConvertAll(h => h.Child), _options.ShutdownGracePeriod, () =>
        {
            foreach (var (run, _) in handedOver) run.ConfirmStopped();
            stopped.TrySetResult();
        });
        return _shutdown;
    }

    private async Task FinishShutdownAsync(Task stopped, List<ClaudeTaskRun> runs)
    {
        await stopped.ConfigureAwait(false);
        await Task.WhenAll(runs.Select(r => r.Completion)).ConfigureAwait(false);
        _notifications.Writer.TryComplete();
        await _delivery.ConfigureAwait(false);
    }

    private const string ShutdownMessage = "The task was stopped because the process that owned it shut down.";

    /// <summary>The process is exiting (Environment.Exit, end of Main, a host's signal handler): stop every child now.</summary>
    private void OnProcessExit(object? sender, EventArgs e) => StartShutdown().Wait(TimeSpan.FromSeconds(3));

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private ClaudeTaskRecord GetRequired(string id) => Get(id) ?? throw NotFound(id);

    private ClaudeTaskException NotFound(string id) => new(ClaudeErrorCode.TaskNotFound,
        $"There is no task {id} in '{Store.Root}'.") { TaskId = id, Hint = ClaudeHint.ListTasks };

    private async Task<ClaudeTaskRecord> WaitForFinishAsync(string id, TimeSpan within, CancellationToken cancellationToken)
    {
        var records = await WaitAsync([id], ClaudeWaitMode.All, within, cancellationToken).ConfigureAwait(false);
        return records[0];
    }

    /// <summary>
    /// Starts queued tasks while slots are free. Starts are serialized and each is dequeued just before it
    /// starts, so tasks start in the order they were queued even when several slots free up at once.
    /// </summary>
    /// <summary>
    /// Starts queued tasks while their throttle has room and the store has a free child slot (<see cref="ChildSlots"/>),
    /// oldest first. With every slot held, the tasks that could start otherwise say they wait for one, and the pump looks
    /// again shortly: a slot freed by another process sends no event here.
    /// </summary>
    private void Pump()
    {
        lock (_startGate)
        {
            while (true)
            {
                ClaudeTaskRun? next = null;
                lock (_gate)
                {
                    if (_disposed != 0) return;
                    _queue.RemoveAll(r => r.Snapshot.IsFinished);
                    // The oldest task whose throttle has a free slot.
                    foreach (var candidate in _queue)
                    {
                        if (candidate.Throttle.RunningCount >= candidate.Throttle.Limit) continue;
                        next = candidate;
                        break;
                    }
                    if (next is null) return;
                }
                var slot = _slots.TryAcquire();
                if (slot is null)
                {
                    WaitForSlot();
                    return;
                }
                lock (_gate)
                {
                    if (_disposed != 0 || !_queue.Remove(next))
                    {
                        slot.Dispose(); // stopped or shut down meanwhile
                        if (_disposed != 0) return;
                        continue;
                    }
                    next.Throttle.RunningCount++;
                    _running++;
                }
                _ = RunAndReleaseAsync(next, slot);
            }
        }
    }

    /// <summary>Every store-wide slot is held: the tasks that could start otherwise say so, and the pump looks again soon.</summary>
    private void WaitForSlot()
    {
        List<ClaudeTaskRun> waiting;
        lock (_gate) waiting = _queue.Where(r => r.Throttle.RunningCount < r.Throttle.Limit).ToList();
        var why = $"waiting for a store-wide slot: {_slots.Limit} children of this state folder are running (CLAUDE_CODE_MCP_MAX_CHILDREN)";
        foreach (var run in waiting) run.NoteWaiting(why);
        try
        {
            _slotRetry.Change(SlotRetry, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Shut down meanwhile: nothing starts any more.
        }
    }

    private static readonly TimeSpan SlotRetry = TimeSpan.FromMilliseconds(250);

    private async Task RunAndReleaseAsync(ClaudeTaskRun run, IDisposable slot)
    {
        try
        {
            await run.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            slot.Dispose(); // the child and its tree are gone
            lock (_gate)
            {
                _running--;
                run.Throttle.RunningCount--;
            }
            Pump();
        }
    }

    private void OnRunChanged(ClaudeTaskRecord record, bool stateChanged)
    {
        if (stateChanged) Pulse();
        if (TaskChanged is not null) _notifications.Writer.TryWrite(record);
    }

    /// <summary>
    /// Delivers <see cref="TaskChanged"/> in order, on a thread of its own: a slow or throwing handler can
    /// neither stall a child's output nor break the engine.
    /// </summary>
    private async Task DeliverNotificationsAsync()
    {
        await foreach (var record in _notifications.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            foreach (var handler in TaskChanged?.GetInvocationList().Cast<Action<ClaudeTaskRecord>>() ?? [])
            {
                try
                {
                    handler(record);
                }
                catch (Exception e)
                {
                    System.Diagnostics.Trace.TraceWarning($"A TaskChanged handler failed: {e}");
                }
            }
        }
    }

    /// <summary>Tells other processes of a new task; a store that refuses has already refused the task or will say so on its next write.</summary>
    private void NotifyQuietly(string id)
    {
        try
        {
            Store.Notify(id);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private void OnSignal(string? name)
    {
        if (name is null) ScanStopRequests(); // the watcher overflowed: events were lost
        else if (name.EndsWith(".stop", StringComparison.Ordinal) && _runs.TryGetValue(name[..^".stop".Length], out var run))
            run.RequestStop(ClaudeStopReason.Cancelled, "The task was stopped from another process.");
        Pulse();
    }

    private void ScanStopRequests()
    {
        foreach (var run in _runs.Values)
        {
            if (!run.Snapshot.IsFinished && Store.HasStopRequest(run.Id))
                run.RequestStop(ClaudeStopReason.Cancelled, "The task was stopped from another process.");
        }
    }

    private void Pulse() => Interlocked.Exchange(ref _pulse, NewPulse()).TrySetResult();

    private static TaskCompletionSource NewPulse() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void RecoverOrphans()
    {
        try
        {
            foreach (var record in Store.List())
            {
                if (Volatile.Read(ref _disposed) != 0) return;
                try
                {
                    if (!record.IsSettled) RecoverIfOrphaned(record);
                }
                catch (ClaudeTaskException)
                {
                    // One task that cannot be written (removed meanwhile, a read-only folder) must not stop the search.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ClaudeTaskException)
        {
            // The folder cannot be read now: each task is still recovered when it is read.
        }
    }

    /// <summary>
    /// A task whose owner died cannot finish by itself: kill its child tree (once proven the task's: start time and the
    /// task's marker, <see cref="RecordedChild"/>) and end it; a child not proven so is left alone and the record says so.
    /// A task its owner finished while shutting down keeps its state and only loses a child left behind. Returns
    /// the new record, or null when the owner is alive. One recovery at a time: two threads that found the same dead
    /// owner's task agree on what happened.
    /// </summary>
    private ClaudeTaskRecord? RecoverIfOrphaned(ClaudeTaskRecord record, ClaudeTaskState state = ClaudeTaskState.Failed)
    {
        if (record.IsSettled || _runs.ContainsKey(record.Id) || record.Owner is { } owner && owner.IsAlive()) return null;
        lock (_recoveryGate)
        {
            // Read it again: another thread may have recovered it meanwhile.
            if (Store.Read(record.Id) is not { IsSettled: false, Unreadable: false } current) return Store.Read(record.Id);
            record = current;
            var found = record.Child is { } child && child.IsAlive();
            var killed = found && RecordedChild.Kill(record.Child!, record.Id);
            var leftAlone = found && !killed && record.Child!.IsAlive() ? $"; {RecordedChild.LeftAlone(record.Child!)}." : ".";
            ClaudeTaskRecord recovered;
            if (record.IsFinished)
            {
                recovered = record with { Child = null };
            }
            else
            {
                var ownerText = record.Owner is { } o ? $"(pid {o.Pid})" : "(unknown)";
                var error = state == ClaudeTaskState.Cancelled
                    ? $"The task was stopped; the process that owned it {ownerText} had already ended{leftAlone}"
                    : record.State == ClaudeTaskState.Queued && record.RetryAt is not null
                        ? $"The process that owned this task {ownerText} ended while the task waited to run again{leftAlone}"
                    : record.State == ClaudeTaskState.Queued
                        ? $"The process that owned this task {ownerText} ended before the task started{leftAlone}"
                        : $"The process that owned this task {ownerText} ended while it was running"
                          + (killed ? "; its orphaned claude process was stopped." : leftAlone);
                recovered = record with
                {
                    State = state,
                    Error = error,
                    EndedAt = DateTimeOffset.UtcNow,
                    Child = null,
                    Worktree = record.Worktree is { } worktree && record.State == ClaudeTaskState.Running ? worktree with { Problem = ClaudeTaskWorktree.NotInspected } : record.Worktree,
                };
            }
            Store.Write(recovered, notify: true, durable: true);
            Store.ClearStopRequest(record.Id);
            return recovered;
        }
    }
}
