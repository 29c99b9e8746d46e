namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// Decides whether a working directory is inside the allowed roots, after resolving <c>..</c> and every
/// symbolic link on both sides, so neither a link nor a relative path can lead outside.
/// </summary>
internal static partial class PathPolicy
{
    /// <summary>Whether <paramref name="real"/> (already resolved by <see cref="RealPath"/>) is one of the roots or below one.</summary>
    public static bool IsInside(string real, IReadOnlyList<string> roots)
    {
        if (roots.Count == 0) return true;
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        foreach (var root in roots)
        {
            var realRoot = RealPath(root).TrimEnd(Path.DirectorySeparatorChar);
            if (string.Equals(real, realRoot, comparison)) return true;
            if (real.StartsWith(realRoot + Path.DirectorySeparatorChar, comparison)) return true;
        }
        return false;
    }

    /// <summary>The canonical path, links resolved (the path as given when it cannot be resolved).</summary>
    public static string RealPath(string path) => Engine.RealPath.Of(path);
}
