using System.Runtime.InteropServices;

namespace ClaudeCodeMcp.Engine;

/// <summary>
/// The canonical form of a path, every link on the way resolved (symbolic links; on Windows junctions too): where a
/// child would really run. A folder checked once as text can be swapped for a link afterwards, so what was checked is
/// this form, and it is checked again just before the child starts. On Unix a <c>..</c> is taken as the system takes it,
/// after the link before it (<c>work/link/..</c> is the link target's parent, not <c>work</c>); on Windows, as Windows
/// takes it, by the text.
/// </summary>
public static partial class RealPath
{
    /// <summary>The canonical path (the full path as given when it cannot be resolved, e.g. it does not exist).</summary>
    public static string Of(string path)
    {
        if (path.Contains('\0')) throw new ArgumentException($"The path '{path.Replace("\0", "\\0", StringComparison.Ordinal)}' holds a NUL character.", nameof(path));
        var full = Path.GetFullPath(path);
        return OperatingSystem.IsWindows() ? OfWindows(full) : OfUnix(Path.IsPathRooted(path) ? path : full, full);
    }

    /// <summary><paramref name="path"/> as given, not <paramref name="full"/>: collapsing <c>link/..</c> as text first would name another folder.</summary>
    private static string OfUnix(string path, string full)
    {
        var resolved = SysRealPath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return full;
        try
        {
            return Marshal.PtrToStringUTF8(resolved) ?? full;
        }
        finally
        {
            Free(resolved);
        }
    }

    /// <summary>Each component in turn, so a junction or link in the middle of the path is followed too.</summary>
    private static string OfWindows(string full)
    {
        var root = Path.GetPathRoot(full) ?? "";
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            try
            {
                if (new DirectoryInfo(current).ResolveLinkTarget(returnFinalTarget: true) is { } target) current = Path.GetFullPath(target.FullName);
            }
            catch (IOException)
            {
                return full;
            }
        }
        return current;
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr SysRealPath(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);
}
