namespace ClaudeCodeMcp.Engine.Retries;

/// <summary>
/// How long a task waits before it runs again: until a usage limit's reset time when the CLI gave one, else the delay
/// the API asked for (its retry-after, as the CLI's last <c>api_retry</c> event reported it), else an exponential
/// backoff from <see cref="ClaudeEngineOptions.RetryBaseDelay"/> with jitter (the second half of each step is random,
/// so tasks that failed together do not come back together), never past <see cref="ClaudeEngineOptions.RetryMaxDelay"/>.
/// </summary>
internal static class RetryDelay
{
    /// <summary>The longest any wait may be: a usage limit resets within hours; a reset time further off is a misreading.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromHours(24);

    /// <param name="end">How the run ended.</param>
    /// <param name="retry">1 for the first retry (the second run), 2 for the next…</param>
    /// <param name="askedFor">The wait the CLI reported the API asked for, if any.</param>
    /// <param name="now">The time now.</param>
    /// <param name="baseDelay">The first backoff step.</param>
    /// <param name="maxDelay">The longest backoff step.</param>
    /// <param name="random">The jitter's source.</param>
    public static TimeSpan For(RetryableEnd end, int retry, TimeSpan? askedFor, DateTimeOffset now, TimeSpan baseDelay, TimeSpan maxDelay, Random random)
    {
        if (end.ResetsAt is { } reset) return Clamp(reset - now + TimeSpan.FromSeconds(1), Longest);
        if (askedFor is { } asked && asked > TimeSpan.Zero) return Clamp(asked, Longest);
        var step = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(retry - 1, 0, 30));
        var capped = Math.Min(step, maxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + random.NextDouble() * capped / 2);
    }

    private static TimeSpan Clamp(TimeSpan wait, TimeSpan longest) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > longest ? longest : wait;
}
