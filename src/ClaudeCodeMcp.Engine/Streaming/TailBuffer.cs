using System.Text;

namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>Keeps the last bytes of a stream (stderr), for the reason of a failure.</summary>
internal sealed class TailBuffer(int capacity)
{
    private readonly byte[] _buffer = new byte[capacity];
    private int _length;

    public void Append(ReadOnlySpan<byte> data)
    {
        lock (_buffer)
        {
            if (data.Length >= capacity)
            {
                data[^capacity..].CopyTo(_buffer);
                _length = capacity;
                return;
            }
            var keep = Math.Min(_length, capacity - data.Length);
            _buffer.AsSpan(_length - keep, keep).CopyTo(_buffer);
            data.CopyTo(_buffer.AsSpan(keep));
            _length = keep + data.Length;
        }
    }

    public override string ToString()
    {
        lock (_buffer) return Encoding.UTF8.GetString(_buffer, 0, _length);
    }
}
