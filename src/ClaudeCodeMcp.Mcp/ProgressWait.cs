using ClaudeCodeMcp.Engine;
using ModelContextProtocol;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// Waits for tasks while sending progress notifications (when the client sent a progress token): on each change
/// of what the tasks are doing, at most once a second, and a heartbeat every few seconds.
/// </summary>
internal static class ProgressWait
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    public static async Task<IReadOnlyList<ClaudeTaskRecord>> RunAsync(ClaudeTaskManager manager, IReadOnlyList<string> ids,
        ClaudeWaitMode mode, TimeSpan? timeout, IProgress<ProgressNotificationValue>? progress, CancellationToken cancellationToken)
    {
        if (progress is null) return await manager.WaitAsync(ids, mode, timeout, cancellationToken).ConfigureAwait(false);

        var reporter = new Reporter(manager, ids, progress);
        void OnChange(ClaudeTaskRecord record)
        {
            if (reporter.Watches(record.Id)) reporter.Report(force: false);
        }
        var deadline = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
        manager.TaskChanged += OnChange;
        try
        {
            reporter.Report(force: true);
            while (true)
            {
                var remaining = deadline - DateTime.UtcNow;
                var slice = remaining < Heartbeat ? remaining : Heartbeat;
                if (slice < TimeSpan.Zero) slice = TimeSpan.Zero;
                var records = await manager.WaitAsync(ids, mode, slice, cancellationToken).ConfigureAwait(false);
                var finished = records.Count(r => r.IsFinished);
                if (finished == records.Count || (mode == ClaudeWaitMode.Any && finished > 0) || DateTime.UtcNow >= deadline) return records;
                reporter.Report(force: true);
            }
        }
        finally
        {
            manager.TaskChanged -= OnChange;
            reporter.Close();
        }
    }

    private sealed class Reporter(ClaudeTaskManager manager, IReadOnlyList<string> ids, IProgress<ProgressNotificationValue> progress)
    {
        private readonly HashSet<string> _ids = new(ids, StringComparer.Ordinal);
        private int _step;
        private string? _last;
        private DateTime _lastAt;
        private bool _trailing;
        private bool _closed;

        /// <summary>No notification may follow the tool's answer.</summary>
        public void Close()
        {
            lock (this) _closed = true;
        }

        public bool Watches(string id) => _ids.Contains(id);

        public void Report(bool force)
        {
            lock (this)
            {
                if (_closed) return;
                var wait = _lastAt + MinInterval - DateTime.UtcNow;
                if (!force && wait > TimeSpan.Zero)
                {
                    // Too soon after the last one: send the latest state once the interval has passed (the
                    // records are read then, not for every change in between).
                    if (!_trailing)
                    {
                        _trailing = true;
                        _ = Task.Delay(wait).ContinueWith(_ =>
                        {
                            lock (this) _trailing = false;
                            Report(force: false);
                        }, TaskScheduler.Default);
                    }
                    return;
                }
            }
            var message = Describe();
            lock (this)
            {
                if (_closed || (!force && message == _last)) return;
                _last = message;
                _lastAt = DateTime.UtcNow;
                progress.Report(new ProgressNotificationValue { Progress = ++_step, Message = message });
            }
        }

        private string Describe()
        {
            var records = ids.Select(manager.Get).OfType<ClaudeTaskRecord>().ToList();
            var finished = records.Count(r => r.IsFinished);
            var doing = records.Where(r => !r.IsFinished)
                .Select(r => $"{r.Id}: {(r.State == ClaudeTaskState.Queued ? "queued" : r.Activity?.Describe() ?? "starting")}");
            return records.Count == 1 && finished == 0
                ? doing.First()
                : $"{finished} of {records.Count} finished; " + string.Join("; ", doing.Take(5));
        }
    }
}
