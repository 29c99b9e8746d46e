namespace ClaudeCodeMcp.Reliability.Tests.Support;

/// <summary>
/// A file system mounted on a sandbox folder for one test: a tiny tmpfs (a full disk) or a bind mount that
/// can be made read-only (root ignores permission bits, so chmod cannot make a folder read-only for us).
/// Unmounted on dispose. <see cref="TryTmpfs"/> and <see cref="TryBind"/> return null with the reason when
/// this machine refuses to mount (no CAP_SYS_ADMIN): the test then skips with that reason.
/// </summary>
public sealed class Mount : IDisposable
{
    private readonly string? _source;
    private int _layers = 1;

    private Mount(string path, string? source = null)
    {
        Path = path;
        _source = source;
    }

    public string Path { get; }

    public static Mount? TryTmpfs(string path, string size, out string why)
    {
        Directory.CreateDirectory(path);
        var (code, output) = Native.Run("mount", "-t", "tmpfs", "-o", $"size={size},mode=0700", "tmpfs", path);
        why = code == 0 ? "" : $"mount -t tmpfs refused ({code}): {output}";
        return code == 0 ? new Mount(path) : null;
    }

    /// <summary>Bind-mounts <paramref name="source"/> on <paramref name="path"/> (writable until <see cref="ReadOnly"/>).</summary>
    public static Mount? TryBind(string source, string path, out string why)
    {
        Directory.CreateDirectory(path);
        var (code, output) = Native.Run("mount", "--bind", source, path);
        why = code == 0 ? "" : $"mount --bind refused ({code}): {output}";
        return code == 0 ? new Mount(path, source) : null;
    }

    /// <summary>
    /// Makes the folder read-only for every path lookup from now on: a second bind mount of the same source on
    /// top, remounted read-only (a plain remount fails with EBUSY while files are open for writing).
    /// Files already open keep writing to the layer below, as they would on a real remount.
    /// </summary>
    public void ReadOnly()
    {
        Assert.NotNull(_source);
        var (code, output) = Native.Run("mount", "--bind", _source!, Path);
        Assert.True(code == 0, $"bind of {Path} failed: {output}");
        _layers++;
        (code, output) = Native.Run("mount", "-o", "remount,ro,bind", Path);
        Assert.True(code == 0, $"read-only remount of {Path} failed: {output}");
    }

    /// <summary>Removes the read-only layer.</summary>
    public void Writable()
    {
        if (_layers < 2) return;
        var (code, output) = Native.Run("umount", Path);
        Assert.True(code == 0, $"umount of the read-only layer of {Path} failed: {output}");
        _layers--;
    }

    public void Dispose()
    {
        for (; _layers > 0; _layers--)
        {
            if (Native.Run("umount", Path).Code != 0) Native.Run("umount", "-l", Path);
        }
    }
}
