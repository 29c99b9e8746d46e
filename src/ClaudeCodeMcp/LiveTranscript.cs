using System.Management.Automation;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Transcript;

namespace ClaudeCodeMcp;

/// <summary>
/// Writes what tasks' children say and do, as they print it, to the information stream the way Write-Host does (shown
/// by default, captured by <c>6&gt;&amp;1</c>, tagged <c>ClaudeTask</c> and the task's id): a line at a time, prefixed
/// with the task's label when it has one. Tasks of other processes are followed alike.
/// </summary>
internal sealed class LiveTranscript(ClaudeTaskManager manager)
{
    private readonly Dictionary<string, (TranscriptCursor Cursor, string? Label)> _followed = new(StringComparer.Ordinal);

    /// <summary>Follows a task from the start of its transcript; <paramref name="label"/> prefixes its lines.</summary>
    public void Follow(string taskId, string? label = null) => _followed[taskId] = (manager.FollowTranscript(taskId), label);

    /// <summary>Writes what every followed task printed since the last call.</summary>
    public void Pump(Cmdlet cmdlet)
    {
        foreach (var id in _followed.Keys.ToList()) Pump(cmdlet, id);
    }

    /// <summary>Writes what one followed task printed since the last call.</summary>
    public void Pump(Cmdlet cmdlet, string taskId)
    {
        if (!_followed.TryGetValue(taskId, out var followed)) return;
        string text;
        try
        {
            text = followed.Cursor.ReadNew();
        }
        catch (ClaudeTaskException e)
        {
            // An output log that cannot be read (a FIFO put in its place, say) ends the following, never the wait.
            _followed.Remove(taskId);
            text = e.Message + "\n";
        }
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0) continue;
            var message = followed.Label is { } label ? $"[{label}] {line}" : line;
            cmdlet.WriteInformation(new HostInformationMessage { Message = message }, ["PSHOST", "ClaudeTask", taskId]);
        }
    }

    /// <summary>Writes what is left of a task's transcript and stops following it.</summary>
    public void Finish(Cmdlet cmdlet, string taskId)
    {
        Pump(cmdlet, taskId);
        _followed.Remove(taskId);
    }
}
