using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ClaudeCodeMcp.Engine.Store;

/// <summary>What kind of thing a path names.</summary>
internal enum FileKind
{
    Regular,
    Directory,
    Link,
    Fifo,
    Socket,
    CharacterDevice,
    BlockDevice,
    Other,
}

/// <summary>
/// What <c>lstat</c>, <c>stat</c> or <c>fstat</c> say of a file on Unix: its kind, permission bits, owner and size.
/// .NET has no public way to learn a file's owner or whether it is a FIFO, so this calls the runtime's own native shim
/// (<c>libSystem.Native</c>, present wherever .NET runs on Unix; the same calls .NET's file classes make). Only the
/// first fields of its <c>FileStatus</c> are read (flags, mode, uid, gid, size, then the access, modification and change
/// times), which have not moved since .NET Core 1.0 (the device and inode after them have); the buffer is larger than
/// the whole struct, so fields added at its end cannot overrun it.
/// </summary>
/// <param name="Kind">What the path names.</param>
/// <param name="Mode">Its permission bits.</param>
/// <param name="Owner">The user id of its owner.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Modified">The last change of the content (<c>st_mtim</c>), in nanoseconds since 1970.</param>
/// <param name="Changed">The last change of the entry (<c>st_ctim</c>): content, mode, owner, or a rename of it.</param>
internal readonly partial record struct FileStatus(FileKind Kind, UnixFileMode Mode, uint Owner, long Size, long Modified = 0, long Changed = 0)
{
    private const string Shim = "libSystem.Native";

    /// <summary>The effective user id of this process: who must own the state folder.</summary>
    public static uint CurrentUser => GetEUid();

    /// <summary>The path itself, a link not followed (<c>lstat</c>); null when nothing is there.</summary>
    public static FileStatus? OfEntry(string path) => Query(path, follow: false);

    /// <summary>What the path leads to, links followed (<c>stat</c>); null when nothing is there.</summary>
    public static FileStatus? OfTarget(string path) => Query(path, follow: true);

    /// <summary>The file an open handle is on (<c>fstat</c>): no path, so nothing can be swapped in between.</summary>
    public static FileStatus Of(SafeFileHandle handle)
    {
        var buffer = new RawStatus();
        if (FStat(handle, ref buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"fstat failed (errno {errno})", errno);
        }
        return From(buffer);
    }

    /// <summary>Group or others may write here.</summary>
    public bool WritableByOthers => (Mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0;

    /// <summary>The mode as <c>ls</c> and <c>chmod</c> write it: <c>0755</c>.</summary>
    public string OctalMode => "0" + Convert.ToString((int)Mode & 0xFFF, 8).PadLeft(3, '0');

    /// <summary>The kind in words for messages: "a FIFO", "a link".</summary>
    public string KindWords => Kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a folder",
        FileKind.Link => "a symbolic link",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.Socket => "a socket",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        _ => "not a regular file",
    };

    private static FileStatus? Query(string path, bool follow)
    {
        var buffer = new RawStatus();
        if ((follow ? Stat(path, ref buffer) : LStat(path, ref buffer)) == 0) return From(buffer);
        var errno = Marshal.GetLastPInvokeError();
        if (errno is 2 or 20) return null; // ENOENT, ENOTDIR: nothing there
        throw new IOException($"{(follow ? "stat" : "lstat")} of '{path}' failed (errno {errno})", errno);
    }

    private static FileStatus From(RawStatus raw)
    {
        var kind = (raw.Mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.Link,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            _ => FileKind.Other,
        };
        return new FileStatus(kind, (UnixFileMode)(raw.Mode & 0xFFF), raw.Uid, raw.Size,
            raw.MTime * 1_000_000_000 + raw.MTimeNsec, raw.CTime * 1_000_000_000 + raw.CTimeNsec);
    }

    /// <summary>The leading fields of the shim's <c>FileStatus</c>, then room to spare for the rest.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 512)]
    private struct RawStatus
    {
        public int Flags;
        public int Mode;
        public uint Uid;
        public uint Gid;
        public long Size;
        public long ATime;
        public long ATimeNsec;
        public long MTime;
        public long MTimeNsec;
        public long CTime;
        public long CTimeNsec;
    }

    [LibraryImport(Shim, EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Stat(string path, ref RawStatus output);

    [LibraryImport(Shim, EntryPoint = "SystemNative_LStat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LStat(string path, ref RawStatus output);

    [LibraryImport(Shim, EntryPoint = "SystemNative_FStat", SetLastError = true)]
    private static partial int FStat(SafeFileHandle fd, ref RawStatus output);

    [LibraryImport(Shim, EntryPoint = "SystemNative_GetEUid")]
    private static partial uint GetEUid();
}
