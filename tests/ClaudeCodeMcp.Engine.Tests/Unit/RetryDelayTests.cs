using ClaudeCodeMcp.Engine.Retries;
using Xunit;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

/// <summary>How long a retried task waits: a usage limit's reset, else the API's own wait, else a backoff with jitter.</summary>
public sealed class RetryDelayTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 1, 0, 0, TimeSpan.Zero);
    private static readonly RetryableEnd RateLimit = new(429, "the Claude API answered HTTP 429 (rate limit)");
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Max = TimeSpan.FromMinutes(5);

    [Fact]
    public void A_usage_limit_waits_until_its_reset()
    {
        var end = RateLimit with { ResetsAt = Now.AddMinutes(90) };

        var wait = RetryDelay.For(end, 1, TimeSpan.FromSeconds(3), Now, Base, Max, new Random(1));

        Assert.Equal(TimeSpan.FromMinutes(90) + TimeSpan.FromSeconds(1), wait);
    }

    [Fact]
    public void The_wait_the_api_asked_for_comes_before_the_backoff() =>
        Assert.Equal(TimeSpan.FromMilliseconds(7412), RetryDelay.For(RateLimit, 3, TimeSpan.FromMilliseconds(7412), Now, Base, Max, new Random(1)));

    [Fact]
    public void Without_a_wait_from_the_api_each_retry_backs_off_twice_as_long_with_jitter_up_to_the_ceiling()
    {
        var random = new Random(7);
        for (var retry = 1; retry <= 8; retry++)
        {
            var step = Math.Min(Base.TotalMilliseconds * Math.Pow(2, retry - 1), Max.TotalMilliseconds);
            var wait = RetryDelay.For(RateLimit, retry, null, Now, Base, Max, random).TotalMilliseconds;
            Assert.InRange(wait, step / 2, step);
        }
    }

    [Fact]
    public void Tasks_that_failed_together_do_not_all_come_back_together()
    {
        var random = new Random(3);
        var waits = Enumerable.Range(0, 10).Select(_ => RetryDelay.For(RateLimit, 2, null, Now, Base, Max, random)).Distinct().Count();

        Assert.True(waits > 5, $"only {waits} different waits of 10");
    }

    [Fact]
    public void A_reset_time_already_past_means_no_wait_and_one_far_off_is_capped_at_a_day()
    {
        Assert.Equal(TimeSpan.Zero, RetryDelay.For(RateLimit with { ResetsAt = Now.AddHours(-1) }, 1, null, Now, Base, Max, new Random(1)));
        Assert.Equal(RetryDelay.Longest, RetryDelay.For(RateLimit with { ResetsAt = Now.AddDays(30) }, 1, null, Now, Base, Max, new Random(1)));
    }
}
