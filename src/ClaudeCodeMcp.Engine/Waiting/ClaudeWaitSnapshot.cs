namespace ClaudeCodeMcp.Engine.Waiting;

/// <summary>
/// Where a set of tasks stands during a wait: each task's latest record, how many have finished, and what the
/// others are doing. Doors render it (a progress bar, a progress notification); <see cref="Describe"/> is the
/// plain-words line both can use.
/// </summary>
public sealed class ClaudeWaitSnapshot(IReadOnlyList<ClaudeTaskRecord> tasks, int step)
{
    private const int NamedAtMost = 5;

    public IReadOnlyList<ClaudeTaskRecord> Tasks { get; } = tasks;

    /// <summary>1 for the first snapshot a wait reports, then 2, 3, …: what a progress value counts.</summary>
    public int Step { get; } = step;

    public int Finished => Tasks.Count(t => t.IsFinished);

    public int PercentComplete => Tasks.Count == 0 ? 100 : Finished * 100 / Tasks.Count;

    public IReadOnlyList<ClaudeTaskRecord> Unfinished => Tasks.Where(t => !t.IsFinished).ToList();

    /// <summary>What one unfinished task is doing: <c>queued</c>, <c>starting</c> or its activity (<c>turn 3, running Bash</c>).</summary>
    public static string Doing(ClaudeTaskRecord task) =>
        task.State == ClaudeTaskState.Queued ? "queued" : task.Activity?.Describe() ?? "starting";

    /// <summary>
    /// <c>id: what it does</c> for one task still going; else <c>2 of 5 finished; id: what it does; …</c> naming
    /// at most five of those still going.
    /// </summary>
    public string Describe()
    {
        var unfinished = Unfinished;
        var doing = unfinished.Select(t => $"{t.Id}: {Doing(t)}");
        return Tasks.Count == 1 && unfinished.Count == 1
            ? doing.First()
            : $"{Finished} of {Tasks.Count} finished; " + string.Join("; ", doing.Take(NamedAtMost));
    }
}
