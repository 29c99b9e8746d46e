using System.Runtime.InteropServices;

namespace ClaudeCodeMcp.Engine.Processes;

/// <summary>
/// Sends signals to processes by pid (libc <c>kill</c>); numbers differ between Linux and macOS. The bare pid: the
/// engine's own signals go through <see cref="SignalGuard"/>, which checks the process first.
/// </summary>
internal static partial class PosixSignals
{
    public static int Terminate => 15;
    public static int Kill => 9;
    public static int Stop => OperatingSystem.IsMacOS() ? 17 : 19;

    /// <summary>
    /// Sends <paramref name="signal"/> to <paramref name="pid"/>; false when it is already gone. Never to pid 1 or below
    /// (<c>kill</c> reads 0 and negative pids as process groups, and -1 as every process it may signal).
    /// </summary>
    public static bool Send(int pid, int signal) => !OperatingSystem.IsWindows() && pid > 1 && SysKill(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);

    /// <summary>A name for a signal number, for reasons a person reads: <c>SIGKILL</c>.</summary>
    public static string Name(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        _ => $"signal {signal}",
    };
}
