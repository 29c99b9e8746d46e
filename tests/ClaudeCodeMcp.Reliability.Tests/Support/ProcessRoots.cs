using ClaudeCodeMcp.Engine.Tests.Support;

namespace ClaudeCodeMcp.Reliability.Tests.Support;

/// <summary>The processes working in a folder whose parent does not: one per child, whatever the child started.</summary>
public static class ProcessRoots
{
    public static List<int> In(string folder)
    {
        var all = ProcessAssert.RunningIn(folder);
        var set = all.ToHashSet();
        // A process whose stat can no longer be read has just ended: it is not counted.
        return all.Where(pid => ParentOf(pid) is { } parent && !set.Contains(parent)).ToList();
    }

    public static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
