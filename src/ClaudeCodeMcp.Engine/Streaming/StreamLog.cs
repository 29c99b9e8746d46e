namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>A task's saved stream-json log, read back as the events the engine parsed live (same splitter, same parser).</summary>
internal static class StreamLog
{
    /// <summary>The events of the log at <paramref name="path"/>, read lazily; none when there is no log yet.</summary>
    public static IEnumerable<StreamEvent> ReadEvents(string path)
    {
        if (!File.Exists(path)) yield break;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var parsed = new List<StreamEvent>();
        var splitter = new LineSplitter(line =>
        {
            if (line.Length > 0) parsed.Add(StreamEventParser.Parse(line));
        }, _ => { }, ClaudeTaskRun.MaxLineBytes);
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            splitter.Feed(buffer.AsMemory(0, read));
            foreach (var streamEvent in parsed) yield return streamEvent;
            parsed.Clear();
        }
        splitter.Finish();
        foreach (var streamEvent in parsed) yield return streamEvent;
    }
}
