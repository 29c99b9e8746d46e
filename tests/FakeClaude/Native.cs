using System.Runtime.InteropServices;

namespace FakeClaude;

/// <summary>The few libc calls the fake needs and .NET does not expose.</summary>
internal static class Native
{
    private static readonly IntPtr SigDefault = IntPtr.Zero;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    [DllImport("libc", SetLastError = true)]
    private static extern int setsid();

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr signal(int sig, IntPtr handler);

    /// <summary>
    /// Sends signal <paramref name="sig"/> to this process with its default disposition restored first,
    /// so the process really dies of it even where the .NET runtime installed its own handler (SIGSEGV, SIGTERM...).
    /// Returns only when the signal's default action is to ignore or stop-and-continue.
    /// </summary>
    public static void KillSelf(int sig)
    {
        signal(sig, SigDefault);
        if (kill(Environment.ProcessId, sig) != 0)
            throw new ScriptException($"kill({Environment.ProcessId}, {sig}) failed, errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Makes this process a session (and process group) leader: pid = pgid = sid.</summary>
    public static void NewSession()
    {
        if (setsid() < 0)
            throw new InvalidOperationException($"setsid() failed, errno {Marshal.GetLastPInvokeError()}");
    }
}
