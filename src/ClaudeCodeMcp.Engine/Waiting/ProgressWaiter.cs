namespace ClaudeCodeMcp.Engine.Waiting;

/// <summary>A wait that reports <see cref="ClaudeWaitSnapshot"/>s as <see cref="ClaudeWaitProgress"/> asks.</summary>
internal sealed class ProgressWaiter
{
    private readonly ClaudeTaskManager _manager;
    private readonly IReadOnlyList<string> _ids;
    private readonly HashSet<string> _watched;
    private readonly ClaudeWaitProgress _progress;
    private readonly object _gate = new();
    private int _step;
    private string? _last;
    private DateTime _lastAt;
    private bool _trailing;
    private bool _closed;

    private ProgressWaiter(ClaudeTaskManager manager, IReadOnlyList<string> ids, ClaudeWaitProgress progress)
    {
        _manager = manager;
        _ids = ids;
        _watched = new HashSet<string>(ids, StringComparer.Ordinal);
        _progress = progress;
    }

    public static async Task<IReadOnlyList<ClaudeTaskRecord>> RunAsync(ClaudeTaskManager manager, IReadOnlyList<string> ids,
        ClaudeWaitMode mode, TimeSpan? timeout, ClaudeWaitProgress progress, CancellationToken cancellationToken)
    {
        var waiter = new ProgressWaiter(manager, ids, progress);
        void OnChange(ClaudeTaskRecord record)
        {
            if (waiter._watched.Contains(record.Id)) waiter.Report(force: false);
        }
        var deadline = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
        manager.TaskChanged += OnChange;
        try
        {
            waiter.Report(force: true);
            while (true)
            {
                var remaining = deadline - DateTime.UtcNow;
                var slice = remaining < progress.Heartbeat ? remaining : progress.Heartbeat;
                if (slice < TimeSpan.Zero) slice = TimeSpan.Zero;
                var records = await manager.WaitAsync(ids, mode, slice, cancellationToken).ConfigureAwait(false);
                var finished = records.Count(r => r.IsFinished);
                if (finished == records.Count || (mode == ClaudeWaitMode.Any && finished > 0) || DateTime.UtcNow >= deadline) return records;
                waiter.Report(force: true);
            }
        }
        finally
        {
            manager.TaskChanged -= OnChange;
            lock (waiter._gate) waiter._closed = true;
        }
    }

    private void Report(bool force)
    {
        lock (_gate)
        {
            if (_closed) return;
            var wait = _lastAt + _progress.MinInterval - DateTime.UtcNow;
            if (!force && wait > TimeSpan.Zero)
            {
                // Too soon after the last report: send the latest state once the interval has passed (the records
                // are read then, not for every change in between).
                if (!_trailing)
                {
                    _trailing = true;
                    _ = Task.Delay(wait).ContinueWith(_ =>
                    {
                        lock (_gate) _trailing = false;
                        Report(force: false);
                    }, TaskScheduler.Default);
                }
                return;
            }
        }
        var tasks = _ids.Select(_manager.Get).OfType<ClaudeTaskRecord>().ToList();
        lock (_gate)
        {
            var snapshot = new ClaudeWaitSnapshot(tasks, _step + 1);
            var text = snapshot.Describe();
            if (_closed || (!force && text == _last)) return;
            _last = text;
            _lastAt = DateTime.UtcNow;
            _step++;
            _progress.Report(snapshot);
        }
    }
}
