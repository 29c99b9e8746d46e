using System.Text;

namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>
/// Keeps the last bytes of a stream (stderr), for the reason of a failure. The buffer is made with the first
/// bytes: most streams it watches stay empty, and an idle task should weigh little.
/// </summary>
internal sealed class TailBuffer(int capacity)
{
    private readonly object _gate = new();
    private byte[] _buffer = [];
    private int _length;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        lock (_gate)
        {
            if (_buffer.Length == 0) _buffer = new byte[capacity];
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
        lock (_gate) return Encoding.UTF8.GetString(_buffer, 0, _length);
    }
}
