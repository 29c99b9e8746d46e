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

    /// <summary>
    /// One read of the whole table: each parent pid with its children. With <c>/proc</c> a child's start time is read in
    /// the same read of its <c>stat</c> as its parent link, so the identity found is the very process that was that
    /// parent's child (no pid recycled in between); null for a zombie, which is no process to signal.
    /// </summary>
    public static Dictionary<int, List<ChildLink>> ChildrenByParent()
    {
        var children = new Dictionary<int, List<ChildLink>>();
        foreach (var (link, ppid) in ParentLinks())
        {
            if (!children.TryGetValue(ppid, out var list)) children[ppid] = list = [];
            list.Add(link);
        }
        return children;
    }

    /// <summary>Every live descendant of the <paramref name="roots"/> in one reading of the table (<see cref="ChildrenByParent"/>).</summary>
    public static List<ProcessIdentity> Descendants(IEnumerable<int> roots, Dictionary<int, List<ChildLink>> children)
    {
        var found = new List<ProcessIdentity>();
        var pending = new Stack<int>(roots);
        var seen = new HashSet<int>(pending);
        while (pending.Count > 0)
        {
            if (!children.TryGetValue(pending.Pop(), out var list)) continue;
            foreach (var child in list)
            {
                if (!seen.Add(child.Pid)) continue;
                if (child.Identity() is { } identity) found.Add(identity);
                pending.Push(child.Pid);
            }
        }
        return found;
    }

    /// <summary>
    /// The parent of <paramref name="pid"/>, its parent, and so on up to (not including) pid 1: the processes that a
    /// signal must never reach from here (<see cref="SignalGuard"/>). Empty where parent links cannot be read (Windows).
    /// </summary>
    public static List<int> Ancestors(int pid)
    {
        var ancestors = new List<int>();
        Dictionary<int, int>? parents = null;
        // Bounded: a loop in what was read (pids recycled between two reads) must not hang us.
        for (var step = 0; step < 4096; step++)
        {
            int? parent;
            if (HasProc) parent = ReadStat(pid)?.ParentPid;
            else
            {
                if (OperatingSystem.IsWindows()) break;
                parents ??= PsParentLinks().GroupBy(l => l.Item1).ToDictionary(g => g.Key, g => g.First().Item2);
                parent = parents.TryGetValue(pid, out var p) ? p : null;
            }
            if (parent is not { } next || next <= 1 || ancestors.Contains(next)) break;
            ancestors.Add(next);
            pid = next;
        }
        return ancestors;
    }

    /// <summary>A child as one read of the table saw it.</summary>
    /// <param name="Pid">The child's pid.</param>
    /// <param name="StartTime">Read with its parent link (<c>/proc</c>); null for a zombie, or where the start time is read only when asked.</param>
    public readonly record struct ChildLink(int Pid, string? StartTime)
    {
        /// <summary>The child's identity: the start time read with its link, or (without <c>/proc</c>) read now.</summary>
        public ProcessIdentity? Identity() => HasProc
            ? StartTime is { } start ? new ProcessIdentity(Pid, start) : null
            : ProcessIdentity.Of(Pid);
    }

    private static IEnumerable<(ChildLink Child, int ParentPid)> ParentLinks()
    {
        if (HasProc)
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
                if (ReadStat(pid) is { } stat)
                    yield return (new ChildLink(pid, stat.State is 'Z' or 'X' ? null : stat.StartTime), stat.ParentPid);
            }
            yield break;
        }
        if (OperatingSystem.IsWindows()) yield break;
        foreach (var (pid, ppid) in PsParentLinks()) yield return (new ChildLink(pid, null), ppid);
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
