namespace ClaudeCodeMcp.Engine.Runs;

/// <summary>
/// The child's stream log with a ceiling: writes pass through until <paramref name="limit"/> bytes are written; the
/// first write past it is dropped, <paramref name="reached"/> runs once (the run stops the child), and so is everything
/// after it, so the child never blocks on its pipe while it is being stopped.
/// </summary>
internal sealed class CappedLog(Stream inner, long limit, Action reached) : Stream
{
    private long _written;
    private int _reached;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _written;
    public override long Position { get => _written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!Admit(buffer.Length)) return;
        inner.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!Admit(buffer.Length)) return;
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private bool Admit(int count)
    {
        if (Volatile.Read(ref _reached) != 0) return false;
        if (_written + count <= limit)
        {
            _written += count;
            return true;
        }
        if (Interlocked.Exchange(ref _reached, 1) == 0) reached();
        return false;
    }

    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
