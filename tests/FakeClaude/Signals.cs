using System.Runtime.InteropServices;

namespace FakeClaude;

/// <summary>SIGTERM and SIGINT handling of the real CLI.</summary>
internal static class Signals
{
    private static PosixSignalRegistration? _term;
    private static PosixSignalRegistration? _interrupt;

    public static void Install(Stdout stdout, StreamJson events)
    {
        // SIGTERM: print nothing more, exit 143.
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stdout.Close();
            Environment.Exit(143);
        });
        // SIGINT: an aborted result (unless a result was already printed), exit 0.
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            events.Result("error_during_execution", true, null, "aborted_tools", timeoutMs: 1000);
            stdout.Close();
            Environment.Exit(0);
        });
    }

    /// <summary><c>fake:ignore-sigterm</c>: from now on SIGTERM does nothing.</summary>
    public static void IgnoreSigterm()
    {
        _term?.Dispose();
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => context.Cancel = true);
    }
}
