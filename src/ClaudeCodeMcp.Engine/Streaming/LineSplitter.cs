using System.Buffers;

namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>
/// Copies a byte stream to a log and hands each complete line to a callback, with memory bounded by
/// <c>maxLineBytes</c>: a longer line still goes to the log whole, but reaches the callback only as its length.
/// </summary>
internal sealed class LineSplitter(Action<ReadOnlyMemory<byte>> onLine, Action<long> onOversizeLine, int maxLineBytes)
{
    private byte[] _pending = [];
    private int _pendingLength;
    private long _oversizeLength = -1;

    /// <summary>True when writing the log failed and the rest of the stream was not logged.</summary>
    public bool LogFailed { get; private set; }

    /// <summary>The read buffer starts small (an idle child weighs little) and grows while reads fill it.</summary>
    private const int FirstBufferBytes = 4 * 1024;
    private const int MaxBufferBytes = 64 * 1024;

    public async Task PumpAsync(Stream source, Stream? log, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(FirstBufferBytes);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (log is not null)
                {
                    try
                    {
                        await log.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }
                    catch (IOException)
                    {
                        // Disk full or gone: stop logging, keep reading, so the child never blocks on a full pipe.
                        log = null;
                        LogFailed = true;
                    }
                }
                Feed(buffer.AsMemory(0, read));
                if (read == buffer.Length && buffer.Length < MaxBufferBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(read * 2);
                }
            }
            Finish();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (_pending.Length > 0) ArrayPool<byte>.Shared.Return(_pending);
            _pending = [];
        }
    }

    /// <summary>Splits a chunk; a line may span many chunks.</summary>
    public void Feed(ReadOnlyMemory<byte> chunk)
    {
        while (!chunk.IsEmpty)
        {
            var newline = chunk.Span.IndexOf((byte)'\n');
            var part = newline < 0 ? chunk : chunk[..newline];
            if (newline >= 0 && _pendingLength == 0 && _oversizeLength < 0 && part.Length <= maxLineBytes)
            {
                Emit(part); // the common case: a whole line inside one chunk, no copy
            }
            else
            {
                Append(part);
                if (newline >= 0) EndLine();
            }
            chunk = newline < 0 ? ReadOnlyMemory<byte>.Empty : chunk[(newline + 1)..];
        }
    }

    /// <summary>Delivers a last line that had no newline.</summary>
    public void Finish()
    {
        if (_pendingLength > 0 || _oversizeLength > 0) EndLine();
    }

    private void Append(ReadOnlyMemory<byte> part)
    {
        if (_oversizeLength >= 0)
        {
            _oversizeLength += part.Length;
            return;
        }
        if (_pendingLength + part.Length > maxLineBytes)
        {
            _oversizeLength = _pendingLength + part.Length;
            _pendingLength = 0;
            return;
        }
        if (_pendingLength + part.Length > _pending.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_pendingLength + part.Length, Math.Min(maxLineBytes, _pending.Length * 2)));
            _pending.AsSpan(0, _pendingLength).CopyTo(bigger);
            if (_pending.Length > 0) ArrayPool<byte>.Shared.Return(_pending);
            _pending = bigger;
        }
        part.Span.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += part.Length;
    }

    private void EndLine()
    {
        if (_oversizeLength >= 0) onOversizeLine(_oversizeLength);
        else Emit(_pending.AsMemory(0, _pendingLength));
        _pendingLength = 0;
        _oversizeLength = -1;
    }

    private void Emit(ReadOnlyMemory<byte> line)
    {
        if (!line.IsEmpty && line.Span[^1] == (byte)'\r') line = line[..^1];
        if (!line.IsEmpty) onLine(line);
    }
}
