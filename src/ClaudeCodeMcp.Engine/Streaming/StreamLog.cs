namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>A task's saved stream-json log, read back as the events the engine parsed live (same splitter, same parser).</summary>
internal static class StreamLog
{
    private const int ReadBytes = 64 * 1024;

    /// <summary>
    /// The events of the log at <paramref name="path"/>, read lazily; none when there is no log yet. A log that is no
    /// regular file (a FIFO, a link planted in its place) is refused with what it is: never waited on, never followed.
    /// </summary>
    public static IEnumerable<StreamEvent> ReadEvents(string path, EventDetail detail = EventDetail.Live)
    {
        using var stream = Open(path);
        if (stream is null) yield break;
        foreach (var streamEvent in ReadEvents(stream, detail)) yield return streamEvent;
    }

    /// <summary>The log opened to read, or null when there is none yet; one that is no regular file is refused (<see cref="ClaudeTaskException"/>).</summary>
    internal static FileStream? Open(string path)
    {
        try
        {
            return Store.StoreFiles.OpenToRead(path);
        }
        catch (IOException e)
        {
            throw new ClaudeTaskException(ClaudeErrorCode.StateDirectoryUnavailable,
                $"The task's output log {e.Message} Remove that file to read the task without its output.", e);
        }
    }

    /// <summary>The events of a stream, read lazily, a chunk at a time: a reader that stops early reads no further.</summary>
    public static IEnumerable<StreamEvent> ReadEvents(Stream stream, EventDetail detail = EventDetail.Live, int readBytes = ReadBytes)
    {
        var parsed = new List<StreamEvent>();
        var splitter = new LineSplitter(line => parsed.Add(StreamEventParser.Parse(line, detail)),
            bytes => parsed.Add(new OversizeLineEvent(bytes)), Runs.ChildOutput.MaxLineBytes);
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
