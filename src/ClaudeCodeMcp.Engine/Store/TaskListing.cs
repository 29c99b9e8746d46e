namespace ClaudeCodeMcp.Engine.Store;

/// <summary>
/// The last listing of the tasks folder (its ids, newest first), reused while the folder is unchanged, so a
/// list need not read a directory of thousands of entries each time. The folder's modification time changes
/// whenever a task folder is renamed in or out (how tasks are made and removed, by any process). A listing is
/// reused only if that time had already been still for a while when the listing was taken: a change made in
/// the same clock tick as the listing could otherwise leave the time unchanged.
/// </summary>
internal sealed class TaskListing
{
    /// <summary>How long the folder must have been still: longer than a clock tick where file times have
    /// fractions of a second (a few ms on Linux), longer than the step where they are whole seconds.</summary>
    private static TimeSpan Settled(DateTime stamp) =>
        stamp.Ticks % TimeSpan.TicksPerSecond != 0 ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(2);

    private Snapshot? _last;

    /// <summary>The folder's modification time, the token a listing is tied to.</summary>
    public static DateTime Stamp(string directory) => Directory.GetLastWriteTimeUtc(directory);

    /// <summary>The ids of the last listing, if it was taken at this stamp and may be trusted.</summary>
    public IReadOnlyList<string>? TryReuse(DateTime stamp) => _last is { } last && last.Stamp == stamp ? last.Ids : null;

    /// <summary>Keeps a listing taken at <paramref name="stamp"/>, when the folder was read at <paramref name="readAt"/>.</summary>
    public void Remember(DateTime stamp, DateTime readAt, IReadOnlyList<string> ids) =>
        _last = stamp < readAt - Settled(stamp) ? new Snapshot(stamp, ids) : null;

    /// <summary>Forgets the listing (this process changed the folder).</summary>
    public void Invalidate() => _last = null;

    private sealed record Snapshot(DateTime Stamp, IReadOnlyList<string> Ids);
}
