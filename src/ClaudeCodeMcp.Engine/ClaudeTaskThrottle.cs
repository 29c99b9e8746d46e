namespace ClaudeCodeMcp.Engine;

/// <summary>
/// A limit on how many children run at once. The manager has one for all its tasks; a caller that fans
/// out a batch of its own (Invoke-ClaudeCode -ThrottleLimit 8) passes its own to
/// <see cref="ClaudeTaskManager.Start(ClaudeTaskSpec, ClaudeTaskThrottle?)"/>, without touching anyone else's.
/// Tasks wait for a slot first in first out, across throttles.
/// </summary>
public sealed class ClaudeTaskThrottle
{
    private int _limit;

    public ClaudeTaskThrottle(int limit) => Limit = limit;

    public int Limit
    {
        get => Volatile.Read(ref _limit);
        set
        {
            if (value < 1) throw new ClaudeTaskException(ClaudeErrorCode.InvalidArgument, "The throttle limit must be at least 1.");
            Volatile.Write(ref _limit, value);
            LimitChanged?.Invoke();
        }
    }

    /// <summary>Children of this throttle running now.</summary>
    public int Running => Volatile.Read(ref RunningCount);

    internal int RunningCount;

    internal event Action? LimitChanged;
}
