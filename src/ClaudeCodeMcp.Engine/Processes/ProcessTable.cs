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
    public static List<ProcessIdentity> Descendants(int root) => Descendants([root], ChildrenByParent());

    /// <summary>One read of the whole table: each parent pid with the pids of its children.</summary>
    public static Dictionary<int, List<int>> ChildrenByParent()
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var (pid, ppid) in ParentLinks())
        {
            if (!children.TryGetValue(ppid, out var list)) children[ppid] = list = [];
            list.Add(pid);
        }
        return children;
    }

    /// <summary>Every live descendant of the <paramref name="roots"/> in one reading of the table (<see cref="ChildrenByParent"/>).</summary>
    public static List<ProcessIdentity> Descendants(IEnumerable<int> roots, Dictionary<int, List<int>> children)
    {
        var found = new List<ProcessIdentity>();
        var pending = new Stack<int>(roots);
        var seen = new HashSet<int>(pending);
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

    /// <summary>
    /// Reads <c>/proc/&lt;pid&gt;/stat</c> into a buffer on the stack: a whole process-table scan at shutdown reads it
    /// for every process, and a FileStream and a string per process made that scan three times slower.
    /// </summary>
    private static Stat? ReadStat(int pid)
    {
        Span<byte> text = stackalloc byte[1024];
        int length;
        try
        {
            using var handle = File.OpenHandle($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            length = RandomAccess.Read(handle, text, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // "pid (comm) S ppid ..." where comm may hold spaces and parentheses: fields start after the last ')'.
        text = text[..length];
        var close = text.LastIndexOf((byte)')');
        if (close < 0 || close + 2 >= text.Length) return null;
        var rest = text[(close + 2)..];
        // Field 3 (state), field 4 (ppid), field 22 (starttime): the 1st, 2nd and 20th after the ')'.
        var state = (char)rest[0];
        int? ppid = null;
        for (var field = 0; field < 20; field++)
        {
            var space = rest.IndexOf((byte)' ');
            var value = space < 0 ? rest : rest[..space];
            if (field == 1)
            {
                if (!System.Buffers.Text.Utf8Parser.TryParse(value, out int parent, out var used) || used != value.Length) return null;
                ppid = parent;
            }
            if (field == 19) return ppid is { } p ? new Stat(state, p, System.Text.Encoding.ASCII.GetString(value.TrimEnd((byte)'\n'))) : null;
            if (space < 0) return null;
            rest = rest[(space + 1)..];
        }
        return null;
    }
}
