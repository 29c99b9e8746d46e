using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ClaudeCodeMcp.Engine.Store;

/// <summary>
/// The store-wide limit on children: at most <see cref="Limit"/> alive at once across every process that shares the
/// state folder. A slot is an exclusive lock on a file of <c>slots/</c> (a share-nothing open: <c>flock</c> on Unix),
/// held from just before a child starts until its tree is gone. The kernel drops the lock when the holder dies, however
/// it dies, so a process killed with SIGKILL never keeps a slot and there is nothing on disk to clean up. On Unix the
/// lock is also taken with <c>flock</c> itself: .NET skips its own when <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> is set,
/// which would otherwise turn the limit off without a word. The folder is checked like every folder of the store
/// (<see cref="OwnerOnlyFolder"/>) and a slot file is opened without following a link (<see cref="NoFollowOpen"/>).
/// </summary>
internal sealed partial class ChildSlots(string stateDirectory, int limit)
{
    public const string Variable = "CLAUDE_CODE_MCP_MAX_CHILDREN";
    public const int DefaultLimit = 16;

    /// <summary>The folder of the slot files inside the state folder.</summary>
    public const string Folder = "slots";

    private readonly string _folder = Path.Combine(stateDirectory, Folder);
    private bool _folderMade; // made once, and again should it be deleted

    /// <summary>
    /// The slots this instance holds: a start never opens them (their locks are ours, the open would only find that
    /// out), so a process running many children looks at the others' slots and the free ones alone, not at every one
    /// it holds each time (with 100 children, hundreds of system calls a start).
    /// </summary>
    private readonly bool[] _held = new bool[limit];

    /// <summary>A share-nothing open (the lock) on Windows; on Unix the lock is <c>flock</c>'s alone.</summary>
    private static readonly FileStreamOptions SlotFile =
        new() { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None, BufferSize = 0 };

    public int Limit { get; } = limit;

    /// <summary>The limit: the option, else <c>CLAUDE_CODE_MCP_MAX_CHILDREN</c>, else 16.</summary>
    public static int LimitOf(int? option, IReadOnlyDictionary<string, string> environment) =>
        option ?? (environment.TryGetValue(Variable, out var text)
                   && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
                   && value >= 1
            ? value
            : DefaultLimit);

    /// <summary>A free slot, held until disposed; null when every slot is held, here or by another process.</summary>
    public IDisposable? TryAcquire() => TryAcquire(again: false);

    private IDisposable? TryAcquire(bool again)
    {
        try
        {
            if (!Volatile.Read(ref _folderMade))
            {
                OwnerOnlyFolder.PrepareInner(_folder, create: true);
                Volatile.Write(ref _folderMade, true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ClaudeTaskException)
        {
            return Unlimited.Instance; // a limit that cannot be kept must not stop every task
        }
        for (var i = 0; i < Limit; i++)
        {
            if (Volatile.Read(ref _held[i])) continue;
            try
            {
                var path = Path.Combine(_folder, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var slot = OperatingSystem.IsWindows()
                    ? new FileStream(path, SlotFile)
                    : new FileStream(NoFollowOpen.ForWriting(path, mustBeNew: false), FileAccess.Write, bufferSize: 0);
                bool locked;
                try
                {
                    locked = OperatingSystem.IsWindows() || Lock(slot.SafeFileHandle);
                }
                catch
                {
                    slot.Dispose();
                    throw;
                }
                if (locked)
                {
                    Volatile.Write(ref _held[i], true);
                    return new HeldSlot(this, i, slot);
                }
                slot.Dispose();
            }
            catch (IOException e) when (IsHeld(e))
            {
                // Held by a running child, of this process or another.
            }
            catch (DirectoryNotFoundException) when (!again)
            {
                Volatile.Write(ref _folderMade, false); // deleted since: made again
                return TryAcquire(again: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Unlimited.Instance;
            }
        }
        return null;
    }

    /// <summary>
    /// <c>flock(LOCK_EX | LOCK_NB)</c> on the open slot file: true when this open file holds the lock (taking it again is a
    /// no-op when .NET already took it), false when another open file holds it.
    /// </summary>
    private static bool Lock(SafeFileHandle handle)
    {
        const int LockExclusive = 2, LockNonBlocking = 4;
        if (Flock(handle, LockExclusive | LockNonBlocking) == 0) return true;
        var error = Marshal.GetLastPInvokeError();
        if (error is 11 or 35) return false; // EWOULDBLOCK on Linux, macOS
        throw new IOException($"flock failed (errno {error})", error);
    }

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(SafeFileHandle handle, int operation);

    /// <summary>The lock is held elsewhere: EWOULDBLOCK on Linux (11) and macOS (35), a sharing violation on Windows.</summary>
    private static bool IsHeld(IOException e) => e.HResult is 11 or 35 || (e.HResult & 0xFFFF) == 32;

    /// <summary>A slot this instance holds: disposing it closes the file (the kernel drops the lock) and frees the slot.</summary>
    private sealed class HeldSlot(ChildSlots slots, int index, FileStream file) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            file.Dispose();
            Volatile.Write(ref slots._held[index], false);
        }
    }

    private sealed class Unlimited : IDisposable
    {
        public static readonly Unlimited Instance = new();

        public void Dispose()
        {
        }
    }
}
