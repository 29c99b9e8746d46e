using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ClaudeCodeMcp.Tests.Shared;

/// <summary>
/// How Claude Code 2.1.331 ends its stdio MCP servers when a -p run ends: SIGINT, SIGTERM 0.1 s later, SIGKILL at
/// about 0.5 s. Whatever a server has not done by the SIGKILL, it never does.
/// </summary>
public static class ClaudeCodeEnding
{
    private static readonly TimeSpan SigtermAfter = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan SigkillAfter = TimeSpan.FromMilliseconds(500);

    /// <summary>Sends the three signals on Claude Code's schedule (each only while the server lives); true when the SIGKILL was needed.</summary>
    public static async Task<bool> EndAsync(Process server)
    {
        var clock = Stopwatch.StartNew();
        Kill(server.Id, 2);
        await Task.Delay(SigtermAfter);
        if (!server.HasExited) Kill(server.Id, 15);
        var left = SigkillAfter - clock.Elapsed;
        if (left > TimeSpan.Zero) await Task.Delay(left);
        var killed = !server.HasExited && Kill(server.Id, 9);
        await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return killed;
    }

    private static bool Kill(int pid, int signal) => SysKill(pid, signal) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);
}
