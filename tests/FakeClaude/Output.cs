using System.Text;
using Microsoft.Win32.SafeHandles;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace FakeClaude;

/// <summary>
/// Stdout as NDJSON lines: UTF-8 without BOM, one line per call, flushed after every line.
/// A lock serializes writers so a signal handler cannot interleave a line with the main script.
/// Once closed (after the final result, or when a signal ends the process) nothing more is written.
/// </summary>
internal sealed class Stdout
{
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    // A FileStream on fd 1 rather than Console.OpenStandardOutput(): the console stream silently drops
    // writes on EPIPE, but the fake must notice that its reader went away and exit 1.
    private readonly Stream _stream = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
    private readonly Lock _gate = new();
    private volatile bool _closed;

    /// <summary>Writes one JSON value built by <paramref name="write"/> as a line. False when already closed.</summary>
    public bool WriteJson(Action<Utf8JsonWriter> write, bool closeAfter = false, int timeoutMs = Timeout.Infinite) =>
        WriteLocked(() =>
        {
            using var writer = new Utf8JsonWriter(_stream, JsonOptions);
            write(writer);
            writer.Flush();
        }, closeAfter, timeoutMs);

    /// <summary>Writes <paramref name="line"/> verbatim followed by a newline.</summary>
    public bool WriteRaw(string line) => WriteLocked(() => _stream.Write(Encoding.UTF8.GetBytes(line)), false, Timeout.Infinite);

    /// <summary>Stops all further output (used before the process ends on a signal).</summary>
    public void Close()
    {
        bool entered = _gate.TryEnter(1000);
        _closed = true;
        if (entered) _gate.Exit();
    }

    private bool WriteLocked(Action writeBody, bool closeAfter, int timeoutMs)
    {
        if (!_gate.TryEnter(timeoutMs)) return false;
        try
        {
            if (_closed) return false;
            writeBody();
            _stream.WriteByte((byte)'\n');
            _stream.Flush();
            if (closeAfter) _closed = true;
            return true;
        }
        catch (IOException)
        {
            Environment.Exit(1); // stdout closed by the reader (EPIPE): leave quietly
            return false;
        }
        finally
        {
            _gate.Exit();
        }
    }
}

/// <summary>Stderr as UTF-8 text without BOM, flushed after every write.</summary>
internal static class Stderr
{
    private static readonly StreamWriter Writer = new(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true };
    private static readonly Lock Gate = new();

    public static void WriteLine(string text)
    {
        lock (Gate)
        {
            try { Writer.Write(text + "\n"); }
            catch (IOException) { /* nobody listens to stderr any more */ }
        }
    }
}
