using System.IO.Pipelines;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// Stdin as the server transport reads it. The transport gets more input only while fewer than <paramref name="limit"/>
/// requests are unanswered: a client that stops reading its answers is then held back by the pipe, as by any full pipe,
/// instead of filling the server's memory (<paramref name="paused"/> runs the first time). Meanwhile up to
/// <see cref="ReadAhead"/> bytes are read ahead, so the input's end is seen at once even then: <paramref name="closed"/>
/// runs (waits are cancelled and answer). The end reaches the transport only after <paramref name="ending"/>, which
/// answers what was read: the SDK sends nothing once its reader has seen the end (a last line without its newline
/// gets one first). A pending read of the console stream
/// is abandoned, not waited for, when the stream is disposed.
/// </summary>
internal sealed class PacedInputStream : Stream
{
    /// <summary>Read from stdin beyond what the transport has taken, at most.</summary>
    public const int ReadAhead = 64 * 1024;

    private readonly Pipe _ahead = new(new PipeOptions(pauseWriterThreshold: ReadAhead, resumeWriterThreshold: ReadAhead / 2, useSynchronizationContext: false));
    private readonly Stream _taken;
    private readonly UnansweredRequests _unanswered;
    private readonly int _limit;
    private readonly Action _paused;
    private readonly Func<CancellationToken, Task> _ending;
    private readonly CancellationTokenSource _disposed = new();
    private bool _pausedOnce;
    private bool _lastLineEnded;
    private bool _ended;

    public PacedInputStream(Stream inner, UnansweredRequests unanswered, int limit, Action paused, Action closed, Func<CancellationToken, Task> ending)
    {
        _taken = _ahead.Reader.AsStream();
        _unanswered = unanswered;
        _limit = limit;
        _paused = paused;
        _ending = ending;
        _ = Task.Run(() => ReadAheadAsync(inner, closed));
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_ended) return 0;
        var room = _unanswered.WhenRoomAsync(_limit, cancellationToken);
        if (!room.IsCompleted && !_pausedOnce && _unanswered.Count >= _limit)
        {
            _pausedOnce = true;
            _paused();
        }
        await room.ConfigureAwait(false);
        var read = await _taken.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read == 0 && !_lastLineEnded && buffer.Length > 0)
        {
            // A last line without its newline (echo -n) would reach the transport only with the end itself, too late
            // to be answered: end it first (an empty line is skipped).
            _lastLineEnded = true;
            buffer.Span[0] = (byte)'\n';
            return 1;
        }
        if (read == 0)
        {
            _ended = true;
            await _ending(cancellationToken).ConfigureAwait(false);
        }
        return read;
    }

    /// <summary>Copies stdin into the read-ahead pipe, which holds at most <see cref="ReadAhead"/> bytes the transport has not taken.</summary>
    private async Task ReadAheadAsync(Stream inner, Action closed)
    {
        var writer = _ahead.Writer;
        try
        {
            while (true)
            {
                var read = await inner.ReadAsync(writer.GetMemory(4096), CancellationToken.None).AsTask().WaitAsync(_disposed.Token).ConfigureAwait(false);
                if (read == 0) break;
                writer.Advance(read);
                if ((await writer.FlushAsync(_disposed.Token).ConfigureAwait(false)).IsCompleted) return;
            }
            closed();
            await writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await writer.CompleteAsync(e).ConfigureAwait(false);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed.IsCancellationRequested)
        {
            _disposed.Cancel();
            _taken.Dispose();
        }
        base.Dispose(disposing);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
