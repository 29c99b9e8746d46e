using System.Runtime.InteropServices;

namespace ClaudeCodeMcp.Engine.Processes;

/// <summary>
/// Sends a signal to exactly the process an identity names, never to another that got its pid since. On Linux it opens
/// a pidfd (<c>pidfd_open</c>), checks the start time of the process behind it, and signals through that pidfd
/// (<c>pidfd_send_signal</c>): once open, a pidfd stays bound to its process, so the process checked is the process
/// signalled, however little time the pid had to be reused. Where that is missing (a kernel before 5.3, a seccomp
/// filter answering <c>ENOSYS</c>, macOS) the start time is checked right before a plain <c>kill</c>, which leaves only
/// the moment between the two.
/// </summary>
internal static partial class PinnedSignal
{
    // The same numbers on x86_64 and arm64 (syscalls from 424 on are numbered alike on every architecture but alpha).
    private const long PidfdSendSignalCall = 424;
    private const long PidfdOpenCall = 434;
    private const int NoSuchProcess = 3; // ESRCH
    private const int NotImplemented = 38; // ENOSYS

    private static volatile bool _pidfdMissing = !OperatingSystem.IsLinux()
        || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64);

    /// <summary>True while signals go through pidfds (Linux 5.3 or later, not filtered away).</summary>
    public static bool UsesPidfd => !_pidfdMissing;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="target"/> if it still runs with its start time; false otherwise.</summary>
    public static bool Send(ProcessIdentity target, int signal)
    {
        if (OperatingSystem.IsWindows() || target.Pid <= 0) return false;
        if (!_pidfdMissing && SendThroughPidfd(target, signal) is { } sent) return sent;
        return ProcessTable.ReadStartTime(target.Pid) == target.StartTime && PosixSignals.Send(target.Pid, signal);
    }

    /// <summary>Opens and closes a pidfd on this process, signalling nothing: the native calls are bound before a shutdown needs them.</summary>
    public static void WarmUp()
    {
        if (_pidfdMissing) return;
        var fd = PidfdOpen(PidfdOpenCall, Environment.ProcessId, 0);
        if (fd >= 0) Close((int)fd);
        else if (Marshal.GetLastPInvokeError() == NotImplemented) _pidfdMissing = true;
    }

    /// <summary>True or false when the pidfd answered; null when there are no pidfds here after all (then <c>kill</c> is used).</summary>
    private static bool? SendThroughPidfd(ProcessIdentity target, int signal)
    {
        var fd = PidfdOpen(PidfdOpenCall, target.Pid, 0);
        if (fd < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error == NoSuchProcess) return false;
            if (error == NotImplemented) _pidfdMissing = true;
            return null; // out of descriptors, or some other refusal: fall back to a checked kill
        }
        try
        {
            // The pidfd is bound to whatever process had the pid when it was opened: that process must be the target.
            if (ProcessTable.ReadStartTime(target.Pid) != target.StartTime) return false;
            if (PidfdSendSignal(PidfdSendSignalCall, (int)fd, signal, 0, 0) == 0) return true;
            var error = Marshal.GetLastPInvokeError();
            if (error != NotImplemented) return false; // ESRCH: it died meanwhile
            _pidfdMissing = true;
            return null;
        }
        finally
        {
            Close((int)fd);
        }
    }

    // syscall(2) is variadic in C; on Linux x86_64 and arm64 integer arguments pass alike either way.
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long PidfdOpen(long number, int pid, uint flags);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long PidfdSendSignal(long number, int pidfd, int signal, nint info, uint flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
