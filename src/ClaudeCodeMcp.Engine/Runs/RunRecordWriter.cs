using System.Diagnostics;

namespace ClaudeCodeMcp.Engine.Runs;

/// <summary>
/// The record of one task this process runs, in memory and on disk. Every change goes through <see cref="Update"/>,
/// in order, and is announced to the owner; activity reaches the disk at most once a second; after the final record
/// only <see cref="AmendFinal"/> changes it. A final record the state folder refuses (full, read-only) is tried again a
/// bounded number of times (<see cref="FinalWriteRetry"/>), then given up with a logged error; the retry stops when
/// <c>stopping</c> is cancelled (the manager is disposed).
/// </summary>
internal sealed class RunRecordWriter
{
    private readonly object _gate = new();
    private readonly Action<ClaudeTaskRecord, bool> _write;
    private readonly Action<ClaudeTaskRecord, bool> _changed;
    private readonly FinalWriteRetry _retry;
    private readonly CancellationToken _stopping;
    private readonly RateLimitedAction _persist;
    private readonly TaskCompletionSource<bool> _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClaudeTaskRecord _record;
    private bool _finalWritten;
    private bool _finalPending; // the latest final record is not on disk yet; a retry is under way

    /// <param name="record">The record as it is on disk now.</param>
    /// <param name="write">Writes a record (<c>TaskStore.Write</c>); the bool says whether other processes are told.</param>
    /// <param name="changed">Told of every change, in order; the bool says whether the state changed.</param>
    /// <param name="retry">How often a refused final record is tried again.</param>
    /// <param name="stopping">Cancelled when the manager is disposed: a retry under way gives up.</param>
    public RunRecordWriter(ClaudeTaskRecord record, Action<ClaudeTaskRecord, bool> write, Action<ClaudeTaskRecord, bool> changed,
        FinalWriteRetry retry, CancellationToken stopping)
    {
        _record = record;
        _write = write;
        _changed = changed;
        _retry = retry;
        _stopping = stopping;
        _persist = new RateLimitedAction(TimeSpan.FromSeconds(1), () => PersistNow());
    }

    public ClaudeTaskRecord Current => Volatile.Read(ref _record);

    /// <summary>
    /// Completes with true once the settled record (final, naming no child) is on disk, or the task was removed so
    /// there is nothing to write; with false when its final write was given up or stopped.
    /// </summary>
    public Task<bool> Settled => _settled.Task;

    /// <summary>Changes the record, writes it unless <paramref name="persist"/> is false, and announces it; after the final write, nothing changes.</summary>
    public void Update(Func<ClaudeTaskRecord, ClaudeTaskRecord> change, bool notify, bool persist = true, bool final = false)
    {
        lock (_gate)
        {
            if (_finalWritten) return;
            var updated = change(_record);
            Volatile.Write(ref _record, updated);
            if (final)
            {
                _finalWritten = true;
                _persist.Dispose();
            }
            if (persist) Persist(updated, notify, final);
            _changed(updated, notify); // inside the gate, so observers see changes in order
        }
    }

    /// <summary>
    /// After the final record: changes it once more when <paramref name="change"/> returns a new record (the child it
    /// names is gone), writes it, and announces it as no change of state.
    /// </summary>
    public void AmendFinal(Func<ClaudeTaskRecord, ClaudeTaskRecord?> change)
    {
        lock (_gate)
        {
            if (change(_record) is not { } amended) return;
            Volatile.Write(ref _record, amended);
            Persist(amended, notify: false, final: true);
            _changed(amended, false);
        }
    }

    /// <summary>
    /// Writes the record as it is then, and tells other processes, on a pool thread, so the caller need not wait for the
    /// disk. Nothing is written when the final record got there first: it is the newer.
    /// </summary>
    public void PersistSoon() => ThreadPool.UnsafeQueueUserWorkItem(static writer =>
    {
        try
        {
            writer.PersistNow(notify: true);
        }
        catch (Exception e)
        {
            // Nothing here may end the process; the next write of the record (activity, the final one) tries again.
            Trace.TraceError($"The running record of task {writer.Current.Id} was not written: {e.Message}");
        }
    }, this, preferLocal: false);

    /// <summary>Asks for the record to be written; it reaches the disk at most once a second.</summary>
    public void RequestPersist() => _persist.Request();

    /// <summary>The record was just written another way: the next activity write waits a whole second.</summary>
    public void MarkPersisted() => _persist.MarkRan();

    /// <summary>Writes the record as it is now, unless the final one is written (it is the newer).</summary>
    private void PersistNow(bool notify = false)
    {
        lock (_gate)
        {
            if (!_finalWritten) Persist(_record, notify, final: false);
        }
    }

    /// <summary>Under the gate.</summary>
    private void Persist(ClaudeTaskRecord record, bool notify, bool final)
    {
        try
        {
            _write(record, notify);
            if (final) Saved(record);
        }
        catch (ClaudeTaskException e) when (e.Code == ClaudeErrorCode.StateDirectoryUnavailable && final)
        {
            // Other processes wait on the final record: try again a few times in the background.
            if (_finalPending) return; // the retry under way writes the latest record
            _finalPending = true;
            _ = RetryFinalWriteAsync();
        }
        catch (ClaudeTaskException)
        {
            // A lost activity update is harmless; a removed task needs no record.
            if (final) _settled.TrySetResult(true);
        }
    }

    /// <summary>Under the gate: a final record is on disk.</summary>
    private void Saved(ClaudeTaskRecord record)
    {
        _finalPending = false;
        if (record.IsSettled) _settled.TrySetResult(true);
    }

    private async Task RetryFinalWriteAsync()
    {
        Exception? last = null;
        for (var attempt = 1; attempt <= _retry.Attempts; attempt++)
        {
            try
            {
                await Task.Delay(_retry.DelayBefore(attempt), _stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Trace.TraceWarning($"The final record of task {Current.Id} was not written: the engine was disposed while it waited to try again.");
                GiveUp();
                return;
            }
            lock (_gate)
            {
                if (!_finalPending) return; // written meanwhile
                try
                {
                    _write(_record, true);
                    Saved(_record);
                    return;
                }
                catch (ClaudeTaskException e) when (e.Code == ClaudeErrorCode.StateDirectoryUnavailable)
                {
                    last = e; // still full or read-only
                }
                catch (ClaudeTaskException)
                {
                    _finalPending = false;
                    _settled.TrySetResult(true); // removed meanwhile: nothing to write
                    return;
                }
            }
        }
        Trace.TraceError($"The final record of task {Current.Id} could not be written after {_retry.Attempts + 1} attempts; "
            + $"other processes see its last saved state until this one ends. {last?.Message}");
        GiveUp();
    }

    private void GiveUp()
    {
        lock (_gate) _finalPending = false;
        _settled.TrySetResult(false);
    }
}
