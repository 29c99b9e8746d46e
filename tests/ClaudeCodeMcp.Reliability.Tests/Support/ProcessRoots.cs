using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Reliability.Tests.Support;

/// <summary>The processes working in a folder whose parent does not: one per child, whatever the child started.</summary>
public static class ProcessRoots
{
    /// <summary>
    /// The top processes running in <paramref name="folder"/> named <paramref name="name"/>. The name matters: a host
    /// that is starting a child shows for a moment as a copy of itself, already in the child's folder but not yet
    /// the child; counting it would count one task twice.
    /// </summary>
    public static List<int> In(string folder, string name)
    {
        var all = ProcessAssert.RunningIn(folder);
        var set = all.ToHashSet();
        // A process whose stat can no longer be read has just ended: it is not counted.
        return all.Where(pid => ProcessAssert.ParentOf(pid) is { } parent && !set.Contains(parent) && NameOf(pid) == name).ToList();
    }

    private static string? NameOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
