namespace ClaudeCodeMcp.Module.Tests.Support;

/// <summary>Finds processes by what they run in, so a test can prove it left none behind (Linux: /proc).</summary>
public static class Processes
{
    /// <summary>Live processes whose working directory is inside <paramref name="root"/> (zombies count as gone).</summary>
    public static List<int> RunningIn(string root)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var cwd = new FileInfo(Path.Combine(dir, "cwd")).LinkTarget;
                if (cwd is not null && (cwd == root || cwd.StartsWith(root + "/", StringComparison.Ordinal)) && IsAlive(pid)) found.Add(pid);
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
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Waits (bounded, to catch hangs) until no process runs in <paramref name="root"/>; kills and fails otherwise.</summary>
    public static async Task AssertNoneLeftInAsync(string root, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var left = RunningIn(root);
            if (left.Count == 0) return;
            if (DateTime.UtcNow > deadline)
            {
                foreach (var pid in left) Kill(pid);
                Assert.Fail($"Processes left running in {root}: {string.Join(", ", left)}");
            }
            await Task.Delay(50);
        }
    }

    public static async Task AssertGoneAsync(IEnumerable<int> pids, TimeSpan? within = null)
    {
        var list = pids.ToList();
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (list.Any(IsAlive))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Processes still alive: {string.Join(", ", list.Where(IsAlive))}");
            await Task.Delay(50);
        }
    }

    private static void Kill(int pid)
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
}
