namespace ClaudeCodeMcp.Engine.Runs;

/// <summary>
/// How often a final record the state folder refused (full, read-only) is tried again: <see cref="Attempts"/> more
/// times, waiting <see cref="FirstDelay"/> before the first and twice as long before each next, up to
/// <see cref="MaxDelay"/>. The default tries for about 16 s.
/// </summary>
internal sealed record FinalWriteRetry(int Attempts, TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    public static FinalWriteRetry Default { get; } = new(8, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));

    /// <summary>The wait before attempt <paramref name="attempt"/> (1 for the first retry).</summary>
    public TimeSpan DelayBefore(int attempt)
    {
        var ticks = FirstDelay.Ticks;
        for (var i = 1; i < attempt && ticks < MaxDelay.Ticks; i++) ticks *= 2;
        return TimeSpan.FromTicks(Math.Min(ticks, MaxDelay.Ticks));
    }
}
