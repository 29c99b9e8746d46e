namespace ClaudeCodeMcp.Engine;

/// <summary>
/// Runs an action at most once per interval: at once when the interval since the last run is over, else once
/// at its end (the trailing run carries every request made meanwhile). Requests after disposal are dropped.
/// </summary>
internal sealed class RateLimitedAction(TimeSpan interval, Action action) : IDisposable
{
    private readonly long _intervalMs = (long)interval.TotalMilliseconds;
    private readonly object _gate = new();
    private long _lastRun = Environment.TickCount64 - (long)interval.TotalMilliseconds; // the first request runs at once
    private int _scheduled;
    private Timer? _timer;
    private bool _disposed;

    public void Request()
    {
        if (Volatile.Read(ref _disposed)) return;
        var waitMs = _intervalMs - (Environment.TickCount64 - Volatile.Read(ref _lastRun));
        if (waitMs <= 0)
        {
            Run();
            return;
        }
        if (Interlocked.Exchange(ref _scheduled, 1) != 0) return; // a trailing run is already due
        lock (_gate)
        {
            if (_disposed) return;
            (_timer ??= new Timer(_ => Run())).Change(waitMs, Timeout.Infinite);
        }
    }

    /// <summary>Counts as a run now (the owner did the work another way): the next request waits a whole interval.</summary>
    public void MarkRan() => Volatile.Write(ref _lastRun, Environment.TickCount64);

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
        }
    }

    private void Run()
    {
        Volatile.Write(ref _scheduled, 0);
        MarkRan();
        action();
    }
}
