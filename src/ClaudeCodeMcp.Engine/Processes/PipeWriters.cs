using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace ClaudeCodeMcp.Engine.Processes;

/// <summary>
/// Whether anyone can still write into a pipe this process reads. After a child exits, its output pipe stays open while
/// a grandchild holds it (worth no long wait), or is closed with lines still unread in it because this process was busy
/// (worth reading to the end: the child's result may be there). On Unix, <c>poll</c> says which: a pipe no writer holds
/// any more reports <c>POLLHUP</c>, unread data or not.
/// </summary>
internal static partial class PipeWriters
{
    private const short PollIn = 0x1;
    private const short PollHup = 0x10;

    /// <summary>True when <paramref name="stream"/> is a pipe no process holds open for writing; false when one does, or it cannot be told.</summary>
    public static unsafe bool AllClosed(Stream stream)
    {
        if (OperatingSystem.IsWindows() || stream is not PipeStream { SafePipeHandle: { IsInvalid: false, IsClosed: false } handle }) return false;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var entry = new PollEntry { Fd = (int)handle.DangerousGetHandle(), Events = PollIn };
            return Poll(&entry, 1, 0) == 1 && (entry.Returned & PollHup) != 0;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollEntry
    {
        public int Fd;
        public short Events;
        public short Returned;
    }

    [LibraryImport("libc", EntryPoint = "poll")]
    private static unsafe partial int Poll(PollEntry* entries, nuint count, int timeoutMs);
}
