using ClaudeCodeMcp.Engine.Processes;

namespace ClaudeCodeMcp.Engine.Tests.Support;

/// <summary>Checks that processes are gone (a zombie awaiting its reaper counts as gone).</summary>
public static class ProcessAssert
{
    public static async Task GoneAsync(IEnumerable<int> pids, TimeSpan? within = null)
    {
        var list = pids.ToList();
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var alive = list.Where(IsAlive).ToList();
            if (alive.Count == 0) return;
            if (DateTime.UtcNow > deadline)
            {
                foreach (var pid in alive) Kill(pid);
                Assert.Fail($"Processes still alive: {string.Join(", ", alive)}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Live processes whose working directory is inside <paramref name="folder"/>: a child, or anything it left behind.</summary>
    public static List<int> RunningIn(string folder)
    {
        var found = new List<int>();
        if (!OperatingSystem.IsLinux()) return found;
        var prefix = folder.TrimEnd('/') + "/";
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || !IsAlive(pid)) continue;
            try
            {
                var cwd = new DirectoryInfo(Path.Combine(dir, "cwd")).LinkTarget;
                if (cwd is not null && (cwd + "/").StartsWith(prefix, StringComparison.Ordinal)) found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return found;
    }

    public static bool IsAlive(int pid) => ProcessIdentity.Of(pid) is not null;

    /// <summary>Last-resort cleanup for a test that failed half-way.</summary>
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

    /// <summary>Pids written one a line by the fake's <c>fake:spawn</c>.</summary>
    public static List<int> ReadPidFile(string path)
    {
        if (!File.Exists(path)) return [];
        var lines = File.ReadAllText(path).Split('\n');
        // The last element is empty when the file ends with a newline, or a line still being written.
        return lines[..^1].Where(l => l.Trim().Length > 0).Select(int.Parse).ToList();
    }
}
