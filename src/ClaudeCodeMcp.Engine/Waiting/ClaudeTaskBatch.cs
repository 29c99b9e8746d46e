using System.Collections.Concurrent;

namespace ClaudeCodeMcp.Engine.Waiting;

/// <summary>
/// Tasks started together and collected as each changes and ends (a bounded fan-out): at most the batch's own
/// throttle limit run at once (within the manager's), every change of its tasks comes out of
/// <see cref="TryTake"/> in the order the engine made it, each task's end exactly once, and disposing the batch
/// stops the tasks it started that have not finished, however its owner ended.
/// </summary>
public sealed class ClaudeTaskBatch : IDisposable
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(15);
    private readonly ClaudeTaskManager _manager;
    private readonly Func<ClaudeTaskSpec, ClaudeTaskThrottle?, ClaudeTaskRecord> _start;
    private readonly ClaudeTaskThrottle? _throttle;
    private readonly BlockingCollection<ClaudeTaskRecord> _changes = [];
    private readonly ConcurrentDictionary<string, byte> _members = new(StringComparer.Ordinal);
    private readonly List<string> _started = [];
    private readonly HashSet<string> _ended = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClaudeTaskRecord> _latest = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <param name="manager">The engine the tasks run in.</param>
    /// <param name="throttleLimit">At most this many of the batch's tasks run at once; null: the manager's limit only.</param>
    /// <param name="start">How a task is started (a door may note what it starts); <see cref="ClaudeTaskManager.Start"/> by default.</param>
    public ClaudeTaskBatch(ClaudeTaskManager manager, int? throttleLimit = null,
        Func<ClaudeTaskSpec, ClaudeTaskThrottle?, ClaudeTaskRecord>? start = null)
    {
        _manager = manager;
        _start = start ?? manager.Start;
        _throttle = throttleLimit is { } limit ? new ClaudeTaskThrottle(limit) : null;
        _manager.TaskChanged += OnChanged;
    }

    /// <summary>Tasks started by this batch.</summary>
    public int Started => _started.Count;

    /// <summary>Tasks of this batch whose end has come out of <see cref="TryTake"/>.</summary>
    public int Ended => _ended.Count;

    /// <summary>Tasks of this batch whose end has not yet come out of <see cref="TryTake"/>.</summary>
    public int Unfinished => Started - Ended;

    /// <summary>Starts a task in the batch; engine errors (bad input, no claude) throw and start nothing.</summary>
    public ClaudeTaskRecord Start(ClaudeTaskSpec spec)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var record = _start(spec, _throttle);
        _members[record.Id] = 0;
        _started.Add(record.Id);
        // Changes made before the batch knew the id came and went unseen: the latest record stands in for them.
        _changes.Add(_manager.Get(record.Id) ?? record);
        return record;
    }

    /// <summary>
    /// The next change of one of the batch's tasks, waiting up to <paramref name="wait"/>. A change older than
    /// what has come out already, and anything after a task's end, is skipped. Cancelling throws.
    /// </summary>
    public bool TryTake(out ClaudeTaskRecord change, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var timeout = (int)Math.Max(0, Math.Min(int.MaxValue, wait.TotalMilliseconds));
        while (_changes.TryTake(out var record, timeout, cancellationToken))
        {
            timeout = 0;
            if (_ended.Contains(record.Id)) continue;
            if (record.IsFinished) _ended.Add(record.Id);
            _latest[record.Id] = record;
            change = record;
            return true;
        }
        change = null!;
        return false;
    }

    /// <summary>Where the batch's tasks stand, as the changes taken so far tell.</summary>
    public ClaudeWaitSnapshot Snapshot(int step = 0) =>
        new(_started.Select(id => _latest.TryGetValue(id, out var r) ? r : null).OfType<ClaudeTaskRecord>().ToList(), step);

    /// <summary>Stops the batch's tasks that have not finished (waiting up to 15 s for them to end), and follows no more.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _manager.TaskChanged -= OnChanged;
        var unfinished = _started.Where(id => !_ended.Contains(id) && _manager.Get(id) is { IsFinished: false }).ToList();
        if (unfinished.Count == 0) return;
        try
        {
            Task.WhenAll(unfinished.Select(id => _manager.StopAsync(id))).Wait(StopWait);
        }
        catch (AggregateException)
        {
            // A task removed meanwhile (by another process) needs no stopping.
        }
    }

    private void OnChanged(ClaudeTaskRecord record)
    {
        if (_members.ContainsKey(record.Id) && !_disposed) _changes.Add(record);
    }
}
