namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// Stdin as the server transport reads it. A read waits while <paramref name="limit"/> requests are unanswered
/// (a client that stops reading its answers is held back by the pipe, as by any full pipe, instead of filling the
/// server's memory); <paramref name="paused"/> runs the first time it waits. The end of input is held back until
/// <paramref name="ending"/> has run, which answers what was read: the SDK sends nothing once its reader has seen
/// the end. A read honours cancellation even on a console stream (the pending read is abandoned).
/// </summary>
internal sealed class PacedInputStream(Stream inner, UnansweredRequests unanswered, int limit, Action paused,
    Func<CancellationToken, Task> ending) : Stream
{
    private bool _paused;
    private bool _ended;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_ended) return 0;
        var waiting = unanswered.WhenRoomAsync(limit, cancellationToken);
        if (!waiting.IsCompleted && unanswered.Count >= limit && !_paused)
        {
            _paused = true;
            paused();
        }
        await waiting.ConfigureAwait(false);
        var read = await inner.ReadAsync(buffer, CancellationToken.None).AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _ended = true;
            await ending(cancellationToken).ConfigureAwait(false);
        }
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
