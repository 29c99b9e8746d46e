namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>A task's saved stream-json log, read back as the events the engine parsed live (same splitter, same parser).</summary>
internal static class StreamLog
{
    private const int ReadBytes = 64 * 1024;

    /// <summary>The events of the log at <paramref name="path"/>, read lazily; none when there is no log yet.</summary>
    public static IEnumerable<StreamEvent> ReadEvents(string path, EventDetail detail = EventDetail.Live)
    {
        if (!File.Exists(path)) yield break;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        foreach (var streamEvent in ReadEvents(stream, detail)) yield return streamEvent;
    }

    /// <summary>The events of a stream, read lazily, a chunk at a time: a reader that stops early reads no further.</summary>
    public static IEnumerable<StreamEvent> ReadEvents(Stream stream, EventDetail detail = EventDetail.Live, int readBytes = ReadBytes)
    {
        var parsed = new List<StreamEvent>();
        var splitter = new LineSplitter(line => parsed.Add(StreamEventParser.Parse(line, detail)), _ => { }, Runs.ChildOutput.MaxLineBytes);
        var buffer = new byte[readBytes];
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
