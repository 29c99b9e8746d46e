using System.Runtime.InteropServices;

namespace ClaudeCodeMcp.Engine;

/// <summary>
/// The canonical form of a path, every link on the way resolved (symbolic links; on Windows junctions too): where a
/// child would really run. A folder checked once as text can be swapped for a link afterwards, so what was checked is
/// this form, and it is checked again just before the child starts.
/// </summary>
public static partial class RealPath
{
    /// <summary>The canonical path (the full path as given when it cannot be resolved, e.g. it does not exist).</summary>
    public static string Of(string path)
    {
        var full = Path.GetFullPath(path);
        return OperatingSystem.IsWindows() ? OfWindows(full) : OfUnix(full);
    }

    private static string OfUnix(string full)
    {
        var resolved = SysRealPath(full, IntPtr.Zero);
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
