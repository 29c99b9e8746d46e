using ClaudeCodeMcp.Tests.Shared;
using Xunit;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

/// <summary>Activity and record writes are rate-limited: the first change goes out at once, a burst costs one more run.</summary>
public sealed class RateLimitedActionTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task The_first_request_runs_at_once_and_a_burst_within_the_interval_runs_once_more_at_its_end()
    {
        var runs = 0;
        using var limited = new RateLimitedAction(Interval, () => Interlocked.Increment(ref runs));

        limited.Request();
        Assert.Equal(1, runs);
        for (var i = 0; i < 50; i++) limited.Request();
        Assert.Equal(1, runs);

        await Eventually.TrueAsync(() => Volatile.Read(ref runs) == 2, "the trailing run");
        await Task.Delay(Interval * 2);
        Assert.Equal(2, runs); // the burst made one trailing run, not fifty
    }

    [Fact]
    public async Task After_MarkRan_a_request_waits_for_the_interval_and_after_Dispose_nothing_runs()
    {
        var runs = 0;
        var limited = new RateLimitedAction(Interval, () => Interlocked.Increment(ref runs));
        limited.MarkRan();

        limited.Request();
        Assert.Equal(0, runs);
        await Eventually.TrueAsync(() => Volatile.Read(ref runs) == 1, "the run after the interval");

        limited.Dispose();
        limited.Request();
        await Task.Delay(Interval * 2);
        Assert.Equal(1, runs);
    }
}
