using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ClaudeCodeMcp.Tests.Shared;

/// <summary>
/// A test run started by <c>nohup</c>, or as a background job of a non-interactive shell, inherits SIGHUP, or SIGINT
/// and SIGQUIT, set to be ignored, and so does every process it starts: a host sent SIGINT would ignore it (.NET
/// respects an inherited ignore and installs no handler), and the tests that send it would hang. Claude Code starts its
/// servers with every signal at its default; so do these tests, by resetting an inherited ignore in the test process.
/// </summary>
internal static class DefaultSignals
{
    private const int SigHup = 1, SigInt = 2, SigQuit = 3;
    private static readonly IntPtr SigDfl = IntPtr.Zero, SigIgn = new(1);

    [ModuleInitializer]
    internal static void ResetInheritedIgnores()
    {
        if (OperatingSystem.IsWindows()) return;
        foreach (var signal in new[] { SigHup, SigInt, SigQuit })
        {
            // struct sigaction begins with the handler on Linux and macOS; the buffer is larger than either struct.
            var action = new byte[256];
            if (SigAction(signal, IntPtr.Zero, action) == 0 && BitConverter.ToInt64(action, 0) == SigIgn.ToInt64())
                Signal(signal, SigDfl);
        }
    }

    [DllImport("libc", EntryPoint = "sigaction", SetLastError = true)]
    private static extern int SigAction(int signal, IntPtr action, byte[] oldAction);

    [DllImport("libc", EntryPoint = "signal", SetLastError = true)]
    private static extern IntPtr Signal(int signal, IntPtr handler);
}
