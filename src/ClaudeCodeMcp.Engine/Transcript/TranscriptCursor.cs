using System.Text;
using ClaudeCodeMcp.Engine.Streaming;

namespace ClaudeCodeMcp.Engine.Transcript;

/// <summary>
/// Follows a task's transcript as the child prints it: each <see cref="ReadNew"/> reads the log from where the last
/// one stopped and gives what the child said and did since (assistant text, each tool call with its main argument,
/// short tool results), whole lines only: a line still being written waits for its end. The session line and the
/// result are left out: whoever follows a task gets its result object when it ends. Works alike for tasks of other
/// processes.
/// </summary>
public sealed class TranscriptCursor
{
    private readonly string _logPath;
    private readonly LineSplitter _splitter;
    private readonly List<StreamEvent> _parsed = [];
    private readonly byte[] _buffer = new byte[64 * 1024];
    private long _position;

    internal TranscriptCursor(string taskId, string logPath)
    {
        TaskId = taskId;
        _logPath = logPath;
        _splitter = new LineSplitter(line => _parsed.Add(StreamEventParser.Parse(line, EventDetail.Transcript)),
            bytes => _parsed.Add(new OversizeLineEvent(bytes)), Runs.ChildOutput.MaxLineBytes);
    }

    public string TaskId { get; }

    /// <summary>What the child said and did since the last call; empty when nothing new is whole yet.</summary>
    public string ReadNew()
    {
        using (var stream = StreamLog.Open(_logPath))
        {
            if (stream is null || stream.Length <= _position) return "";
            stream.Position = _position;
            int read;
            while ((read = stream.Read(_buffer)) > 0)
            {
                _splitter.Feed(_buffer.AsMemory(0, read));
                _position += read;
            }
        }
        var text = new StringBuilder();
        foreach (var streamEvent in _parsed)
        {
            if (streamEvent is InitEvent or ResultEvent) continue;
            text.Append(TranscriptText.Render(streamEvent, mainArgument: true));
        }
        _parsed.Clear();
        return text.ToString();
    }
}
