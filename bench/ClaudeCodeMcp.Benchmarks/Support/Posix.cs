using System.Runtime.InteropServices;

namespace ClaudeCodeMcp.Benchmarks.Support;

/// <summary>libc's <c>kill</c>, to send the signals Claude Code sends.</summary>
public static class Posix
{
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);
}
