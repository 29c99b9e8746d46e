namespace ClaudeCodeMcp.Engine.Waiting;

/// <summary>
/// How a wait reports progress: <see cref="Report"/> gets a snapshot when what the tasks do changes, at most once
/// per <see cref="MinInterval"/> (a burst of changes gives one report, with the latest state, when the interval
/// has passed), and at least every <see cref="Heartbeat"/> while nothing changes. Reports come on engine threads;
/// none comes after the wait has returned.
/// </summary>
public sealed record ClaudeWaitProgress(Action<ClaudeWaitSnapshot> Report)
{
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(5);
}
