using Xunit.Abstractions;
using Xunit.Sdk;

namespace ClaudeCodeMcp.EndToEnd.Tests.Support;

/// <summary>
/// A class fixture of every test class here. It says out loud (as xUnit diagnostic messages, which <c>dotnet test</c>
/// shows at its default verbosity with "diagnosticMessages" on) what a SKIP line alone would hide: that the real CLI
/// is missing, so no end-to-end test ran, or that a test was skipped for a known engine bug, and why.
/// </summary>
public sealed class SuiteDiagnostics
{
    private static IMessageSink? _sink;
    private static int _reportedMissing;

    public SuiteDiagnostics(IMessageSink sink)
    {
        _sink = sink;
        if (RealClaude.MissingReason is { } reason && Interlocked.Exchange(ref _reportedMissing, 1) == 0)
            Say("WARNING: every test in this assembly is SKIPPED. " + reason);
    }

    public static void Say(string message) => _sink?.OnMessage(new DiagnosticMessage(message));
}
