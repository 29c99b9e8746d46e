using System.Collections;
using System.Diagnostics;

namespace ClaudeCodeMcp.Tests.Shared;

/// <summary>
/// Waits for what a test cannot await: polls a probe every 25 ms until it yields what is awaited. The bound only
/// catches hangs (60 s unless told); when it passes, a <see cref="TimeoutException"/> names what was awaited.
/// </summary>
public static class Eventually
{
    /// <summary>The bound of a wait unless told: long enough for a loaded machine, so a timeout means a hang.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(25);

    /// <summary>Polls until <paramref name="condition"/> holds.</summary>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? within = null) =>
        PollAsync(() => Task.FromResult(condition()), held => held, what, within, describe: null, every: null);

    /// <summary>Polls until <paramref name="probe"/> yields a value (not null), and returns it.</summary>
    public static async Task<T> ValueAsync<T>(Func<T?> probe, string what, TimeSpan? within = null) where T : class =>
        (await PollAsync(() => Task.FromResult(probe()), value => value is not null, what, within, describe: null, every: null))!;

    /// <summary>Polls until the asynchronous <paramref name="probe"/> yields a value (not null), and returns it.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? within = null) where T : class =>
        (await PollAsync(probe, value => value is not null, what, within, describe: null, every: null))!;

    /// <summary>Polls until <paramref name="done"/> holds for what <paramref name="probe"/> yields, and returns that; a timeout shows the last one.</summary>
    /// <param name="every">Only for a probe too costly for every 25 ms.</param>
    public static Task<T> ThatAsync<T>(Func<T> probe, Func<T, bool> done, string what, TimeSpan? within = null,
        Func<T, string>? describe = null, TimeSpan? every = null) =>
        PollAsync(() => Task.FromResult(probe()), done, what, within, describe ?? Show, every);

    private static async Task<T> PollAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? within,
        Func<T, string>? describe, TimeSpan? every)
    {
        var bound = within ?? Hang;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (clock.Elapsed > bound)
            {
                var last = describe is null ? "" : "; last: " + describe(value);
                throw new TimeoutException(FormattableString.Invariant($"Gave up after {bound.TotalSeconds:0.###} s waiting for {what}{last}"));
            }
            await Task.Delay(every ?? Every);
        }
    }

    /// <summary>A probe's value for a timeout's message: a collection item by item.</summary>
    private static string Show<T>(T value) => value switch
    {
        null => "null",
        string text => text,
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>()) + "]",
        _ => value.ToString() ?? "",
    };
}
