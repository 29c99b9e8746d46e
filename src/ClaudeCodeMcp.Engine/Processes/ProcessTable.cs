using System.Diagnostics;
using System.Globalization;

namespace ClaudeCodeMcp.Engine.Processes;

/// <summary>
/// Reads the system's process table: start times (for identities) and parent links (for trees).
/// Linux reads <c>/proc</c>; other systems fall back to <see cref="Process"/> and <c>ps</c>.
/// </summary>
internal static class ProcessTable
{
    private static readonly bool HasProc = OperatingSystem.IsLinux() && Directory.Exists("/proc/self");

    /// <summary>A live (not zombie) process's start time as an opaque string, or null.</summary>
    public static string? ReadStartTime(int pid)
    {
        if (pid <= 0) return null;
        if (HasProc) return ReadStat(pid) is { } stat && stat.State is not ('Z' or 'X') ? stat.StartTime : null;
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited) return null;
            return process.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>Every live descendant of <paramref name="root"/>, found by following parent links.</summary>
    public static List<ProcessIdentity> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var (pid, ppid) in ParentLinks())
        {
            if (!children.TryGetValue(ppid, out var list)) children[ppid] = list = [];
            list.Add(pid);
        }
        var found = new List<ProcessIdentity>();
        var pending = new Stack<int>();
        pending.Push(root);
        var seen = new HashSet<int> { root };
        while (pending.Count > 0)
        {
            if (!children.TryGetValue(pending.Pop(), out var list)) continue;
            foreach (var child in list)
            {
                if (!seen.Add(child)) continue;
                if (ProcessIdentity.Of(child) is { } identity) found.Add(identity);
                pending.Push(child);
            }
        }
        return found;
    }

    private static IEnumerable<(int Pid, int ParentPid)> ParentLinks()
    {
        if (HasProc)
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
                if (ReadStat(pid) is { } stat) yield return (pid, stat.ParentPid);
            }
            yield break;
        }
        if (OperatingSystem.IsWindows()) yield break;
        foreach (var link in PsParentLinks()) yield return link;
    }

    private static List<(int, int)> PsParentLinks()
    {
        var links = new List<(int, int)>();
        try
        {
            var psi = new ProcessStartInfo("ps") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in new[] { "-A", "-o", "pid=", "-o", "ppid=" }) psi.ArgumentList.Add(arg);
            using var ps = Process.Start(psi)!;
            string? line;
            while ((line = ps.StandardOutput.ReadLine()) is not null)
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 2 && int.TryParse(parts[0], out var pid) && int.TryParse(parts[1], out var ppid))
                    links.Add((pid, ppid));
            }
            ps.WaitForExit();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // No ps: trees shrink to their root.
        }
        return links;
    }

    private readonly record struct Stat(char State, int ParentPid, string StartTime);

    private static Stat? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "pid (comm) S ppid ..." where comm may hold spaces and parentheses: fields start after the last ')'.
        var close = text.LastIndexOf(')');
        if (close < 0) return null;
        var fields = text[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state), fields[1] field 4 (ppid), fields[19] field 22 (starttime).
        if (fields.Length < 20 || fields[0].Length == 0) return null;
        if (!int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid)) return null;
        return new Stat(fields[0][0], ppid, fields[19]);
    }
}
