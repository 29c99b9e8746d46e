using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ClaudeCodeMcp.Engine.Store;

/// <summary>
/// Opens a file with <c>O_NOFOLLOW</c>: when the last step of the path is a symbolic link the open fails (ELOOP) instead
/// of reaching whatever the link names. .NET's <see cref="FileStream"/> has no such option, so this calls the runtime's
/// own native shim (<c>SystemNative_Open</c>, whose flag numbers are fixed for managed callers; <c>O_NOFOLLOW</c> is
/// 0x200 in .NET 8 and later alike). Unix only.
/// </summary>
internal static partial class NoFollowOpen
{
    private const int ReadOnly = 0x0, WriteOnly = 0x1, CloseOnExec = 0x10, Create = 0x20, Exclusive = 0x40, NoFollow = 0x200;
    private const int OwnerReadWrite = 0x180; // 0600

    /// <summary>Opens <paramref name="path"/> to read, never through a link.</summary>
    public static SafeFileHandle ForReading(string path) => Open(path, ReadOnly | CloseOnExec | NoFollow);

    /// <summary>Opens <paramref name="path"/> to write, made owner-only (0600) when new; never through a link.</summary>
    public static SafeFileHandle ForWriting(string path, bool mustBeNew) =>
        Open(path, WriteOnly | CloseOnExec | Create | NoFollow | (mustBeNew ? Exclusive : 0));

    private static SafeFileHandle Open(string path, int flags)
    {
        var fd = SystemOpen(path, flags, OwnerReadWrite);
        if (fd == -1) throw Failure(path, Marshal.GetLastPInvokeError());
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>The exception .NET's own open would throw, so callers catch the same types.</summary>
    private static Exception Failure(string path, int errno)
    {
        var loop = OperatingSystem.IsLinux() ? 40 : 62; // ELOOP: what O_NOFOLLOW gives for a link
        var why = errno == loop ? "it is a symbolic link, and links are not followed here" : Marshal.GetPInvokeErrorMessage(errno);
        var message = $"'{path}' could not be opened: {why}.";
        return errno switch
        {
            2 when !Directory.Exists(Path.GetDirectoryName(path)) => new DirectoryNotFoundException(message), // ENOENT
            2 => new FileNotFoundException(message, path),
            1 or 13 => new UnauthorizedAccessException(message), // EPERM, EACCES
            _ => new IOException(message, errno),
        };
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint SystemOpen(string path, int flags, int mode);
}
