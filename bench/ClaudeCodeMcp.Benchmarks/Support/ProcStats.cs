using System.Globalization;

namespace ClaudeCodeMcp.Benchmarks.Support;

/// <summary>CPU time and memory of a process, read from /proc.</summary>
public static class ProcStats
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>Resident memory now (VmRSS) and at its peak (VmHWM), in bytes.</summary>
    public static (long Rss, long Peak) Memory(int pid)
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kb(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = Kb(line);
        }
        return (rss, peak);
    }

    /// <summary>Processes alive now whose working directory is inside <paramref name="folder"/> (and named <paramref name="comm"/>).</summary>
    public static int CountIn(string folder, string? comm = null)
    {
        var count = 0;
        var prefix = folder.TrimEnd('/') + "/";
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
            try
            {
                var state = File.ReadAllText(Path.Combine(dir, "stat"));
                if (state[(state.LastIndexOf(')') + 2)] == 'Z') continue;
                if (comm is not null && state[(state.IndexOf('(') + 1)..state.LastIndexOf(')')] != comm) continue;
                // A shell's own forks ($(cat)) carry its name: count only the top one.
                if (comm is not null && ParentName(state) == comm) continue;
                var cwd = new DirectoryInfo(Path.Combine(dir, "cwd")).LinkTarget;
                if (cwd is not null && (cwd + "/").StartsWith(prefix, StringComparison.Ordinal)) count++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return count;
    }

    /// <summary>Live processes whose parent is one of <paramref name="parents"/>.</summary>
    public static List<int> ChildrenOf(IReadOnlyCollection<int> parents)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] != "Z" && parents.Contains(int.Parse(fields[1], CultureInfo.InvariantCulture))) children.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return children;
    }

    private static string? ParentName(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        try
        {
            var parent = File.ReadAllText($"/proc/{fields[1]}/stat");
            return parent[(parent.IndexOf('(') + 1)..parent.LastIndexOf(')')];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long Kb(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}
