namespace ClaudeCodeMcp.Tests.Shared;

/// <summary>
/// Finds processes and checks that they are gone, so a test can prove it left none behind (a zombie awaiting its
/// reaper counts as gone). Reads /proc directly: no engine or module assembly, so every test project can link it.
/// </summary>
public static class ProcessAssert
{
    private static readonly bool HasProc = OperatingSystem.IsLinux() && Directory.Exists("/proc/self");

    /// <summary>Live processes (not this one) whose working directory is <paramref name="folder"/> or below it: a child, or anything it left behind.</summary>
    public static List<int> RunningIn(string folder)
    {
        var found = new List<int>();
        if (!HasProc) return found;
        var prefix = folder.TrimEnd('/') + "/";
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var cwd = new DirectoryInfo(Path.Combine(dir, "cwd")).LinkTarget;
                if (cwd is not null && (cwd + "/").StartsWith(prefix, StringComparison.Ordinal) && IsAlive(pid)) found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return found;
    }

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        if (pid <= 0) return false;
        if (!HasProc) return IsAliveWithoutProc(pid);
        try
        {
            // "pid (comm) S ..." where comm may hold spaces and parentheses: the state follows the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat.LastIndexOf(')') + 2;
            return state < stat.Length && stat[state] is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Waits (bounded, 10 s by default) until the processes are gone; kills the rest and fails otherwise.</summary>
    public static Task GoneAsync(IEnumerable<int> pids, TimeSpan? within = null)
    {
        var list = pids.ToList();
        return WaitAsync(() => list.Where(IsAlive).ToList(), within ?? TimeSpan.FromSeconds(10), kill: true, "the processes to end");
    }

    /// <summary>Waits (bounded, 15 s by default, to catch hangs) until the processes are gone; fails otherwise, killing none.</summary>
    public static Task AssertGoneAsync(IEnumerable<int> pids, TimeSpan? within = null)
    {
        var list = pids.ToList();
        return WaitAsync(() => list.Where(IsAlive).ToList(), within ?? TimeSpan.FromSeconds(15), kill: false, "the processes to end");
    }

    /// <summary>Waits (bounded, 15 s by default, to catch hangs) until no process runs in <paramref name="folder"/>; kills them and fails otherwise.</summary>
    public static Task AssertNoneLeftInAsync(string folder, TimeSpan? within = null) =>
        WaitAsync(() => RunningIn(folder), within ?? TimeSpan.FromSeconds(15), kill: true, $"no process left running in {folder}");

    /// <summary>Last-resort cleanup for a test that failed half-way: the process and its tree.</summary>
    public static void Kill(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
        }
    }

    /// <summary>The parent's pid, or null when the process is gone (or there is no /proc).</summary>
    public static int? ParentOf(int pid)
    {
        try
        {
            // "pid (comm) S ppid ...": the fields after the last ')' are the state, then the parent.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The watchdog an owning process starts with its first child (<c>claude-code-mcp-watchdog</c>, a child of
    /// <paramref name="owner"/>), or null when it has none.
    /// </summary>
    public static int? WatchdogOf(int owner)
    {
        if (!HasProc) return null;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || ParentOf(pid) != owner) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0').Contains("claude-code-mcp-watchdog") && IsAlive(pid)) return pid;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return null;
    }

    /// <summary>Pids written one a line by the fake's <c>fake:spawn</c>.</summary>
    public static List<int> ReadPidFile(string path)
    {
        if (!File.Exists(path)) return [];
        var lines = File.ReadAllText(path).Split('\n');
        // The last element is empty when the file ends with a newline, or a line still being written.
        return lines[..^1].Where(l => l.Trim().Length > 0).Select(int.Parse).ToList();
    }

    /// <summary>Waits (bounded, to catch hangs) until the pid file lists <paramref name="count"/> pids; returns them.</summary>
    public static Task<List<int>> PidFileAsync(string path, int count) =>
        Eventually.ThatAsync(() => ReadPidFile(path), pids => pids.Count >= count, $"{count} pids in {path}");

    private static async Task WaitAsync(Func<List<int>> alive, TimeSpan within, bool kill, string what)
    {
        try
        {
            // Described at the timeout, before the kill, while they can still be read.
            await Eventually.ThatAsync(alive, left => left.Count == 0, what, within, left => string.Join(", ", left.Select(Describe)));
        }
        catch (TimeoutException) when (kill)
        {
            foreach (var pid in alive()) Kill(pid);
            throw;
        }
    }

    /// <summary>A pid with its command line and parent, for a failure message: which process was left says why.</summary>
    private static string Describe(int pid)
    {
        if (!HasProc) return pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            var command = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            return $"{pid} ({command}; parent {ParentOf(pid)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "gone"})";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{pid} (gone)";
        }
    }

    private static bool IsAliveWithoutProc(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
