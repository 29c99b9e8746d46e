namespace ClaudeCodeMcp.Commands;

/// <summary>
/// Writes a task's activity (<c>turn 3, running Bash</c>) as a verbose message when it differs from the last
/// one this call wrote for the task, so that a verbose stream shows each change once.
/// </summary>
internal sealed class ActivityEcho
{
    private readonly Dictionary<string, string?> _last = new(StringComparer.Ordinal);

    /// <summary>Notes a task's activity now (null when there is none) and writes it through <paramref name="writeVerbose"/> if it changed.</summary>
    public void Note(string taskId, string? activity, Action<string> writeVerbose)
    {
        if (activity is not null && (!_last.TryGetValue(taskId, out var before) || before != activity)) writeVerbose($"Task {taskId}: {activity}");
        _last[taskId] = activity;
    }
}
