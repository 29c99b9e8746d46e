using System.Runtime.InteropServices;
using System.Text;

namespace ClaudeCodeMcp.Engine.Processes;

/// <summary>
/// Reads the task marker a process was started with: every child the engine starts carries
/// <c>CLAUDE_CODE_MCP_TASK_ID=&lt;its task's id&gt;</c> in its environment (<see cref="TaskNesting.Mark"/>). Unlike a pid
/// and a start time, which anyone can read, it can only be given to a process by whoever starts it, so it proves a
/// process is the task's child. Linux reads <c>/proc/&lt;pid&gt;/environ</c>, macOS <c>sysctl(KERN_PROCARGS2)</c>;
/// both refuse the environment of another user's process (without root), which then proves nothing: such a process
/// cannot be our child anyway. Windows offers no plain way: nothing is proven there.
/// </summary>
internal static partial class TaskMarker
{
    /// <summary>
    /// True when <paramref name="pid"/>'s environment holds the marker of <paramref name="taskId"/>; should it hold the
    /// variable more than once, the first one counts, as <c>getenv</c> reads it.
    /// </summary>
    public static bool Carries(int pid, string taskId)
    {
        if (pid <= 0) return false;
        var environment = OperatingSystem.IsLinux() ? ReadProcEnviron(pid)
            : OperatingSystem.IsMacOS() ? ReadMacEnvironment(pid)
            : null;
        if (environment is null) return false;
        var prefix = TaskNesting.TaskIdVariable + "=";
        foreach (var entry in environment)
        {
            if (entry.StartsWith(prefix, StringComparison.Ordinal)) return entry.AsSpan(prefix.Length).SequenceEqual(taskId);
        }
        return false;
    }

    private static IEnumerable<string>? ReadProcEnviron(int pid)
    {
        try
        {
            var bytes = File.ReadAllBytes($"/proc/{pid}/environ");
            return Encoding.UTF8.GetString(bytes).Split('\0');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // gone, or another user's
        }
    }

    /// <summary>
    /// The environment from <c>KERN_PROCARGS2</c>: argc (4 bytes), the executable's path, NUL padding, argc arguments, then
    /// the environment's strings up to an empty one. Anything that does not parse proves nothing.
    /// </summary>
    private static unsafe List<string>? ReadMacEnvironment(int pid)
    {
        const int ctlKern = 1, kernArgMax = 8, kernProcArgs2 = 49;
        int argMax;
        var size = (nuint)sizeof(int);
        var argMaxName = stackalloc int[] { ctlKern, kernArgMax };
        if (Sysctl(argMaxName, 2, &argMax, &size, null, 0) != 0 || argMax <= 0) return null;
        var buffer = new byte[argMax];
        var name = stackalloc int[] { ctlKern, kernProcArgs2, pid };
        size = (nuint)buffer.Length;
        fixed (byte* data = buffer)
        {
            if (Sysctl(name, 3, data, &size, null, 0) != 0) return null;
        }
        var text = buffer.AsSpan(0, (int)Math.Min(size, (nuint)buffer.Length));
        if (text.Length < sizeof(int)) return null;
        var argc = BitConverter.ToInt32(text);
        var position = sizeof(int);
        position = SkipString(text, position); // the executable's path
        while (position < text.Length && text[position] == 0) position++;
        for (var i = 0; i < argc; i++) position = SkipString(text, position);
        var environment = new List<string>();
        while (position < text.Length)
        {
            var end = text[position..].IndexOf((byte)0);
            if (end <= 0) break;
            environment.Add(Encoding.UTF8.GetString(text.Slice(position, end)));
            position += end + 1;
        }
        return environment;
    }

    private static int SkipString(ReadOnlySpan<byte> text, int position)
    {
        if (position >= text.Length) return text.Length;
        var end = text[position..].IndexOf((byte)0);
        return end < 0 ? text.Length : position + end + 1;
    }

    [LibraryImport("libc", EntryPoint = "sysctl", SetLastError = true)]
    private static unsafe partial int Sysctl(int* name, uint nameLength, void* oldValue, nuint* oldLength, void* newValue, nuint newLength);
}
