using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FakeClaude;

/// <summary>
/// <c>fake:spawn &lt;pidfile&gt; [count] [inherit]</c>: starts grandchildren that outlive the fake in their own
/// session (like background tasks of the real CLI), and the <c>--fake-grandchild</c> mode they run in.
/// </summary>
internal static class Grandchildren
{
    public const string Flag = "--fake-grandchild";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly List<Process> Started = []; // keeps the redirected pipes referenced

    public static void Spawn(Directive d)
    {
        string[] words = d.Words;
        if (words.Length == 0) throw new ScriptException($"'{d.Line}': a pid file is required");
        string pidFile = Path.GetFullPath(words[0]);
        int count = 1;
        bool inherit = false;
        foreach (string word in words.Skip(1))
        {
            if (word == "inherit") inherit = true;
            else count = d.Int(word);
        }

        for (int i = 0; i < count; i++)
        {
            int pid = StartOne(pidFile, inherit);
            File.AppendAllText(pidFile, $"{pid}\n");
        }
    }

    /// <summary>Grandchild mode: own session first, SIGTERM ignored, report readiness, then sleep forever.</summary>
    public static int Run(string[] args)
    {
        Native.NewSession();
        using var ignoreTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => c.Cancel = true);
        if (args.Length < 2) throw new ArgumentException($"usage: claude {Flag} <pidfile>");
        File.WriteAllBytes(ReadyFile(args[1], Environment.ProcessId), []);
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    private static int StartOne(string pidFile, bool inherit)
    {
        string exe = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var start = new ProcessStartInfo(exe)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = !inherit,
            RedirectStandardError = !inherit,
        };
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet") // run as `dotnet claude.dll`
            start.ArgumentList.Add(typeof(Grandchildren).Assembly.Location);
        start.ArgumentList.Add(Flag);
        start.ArgumentList.Add(pidFile);

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {exe}");
        Started.Add(process);

        // Wait until the grandchild has called setsid() and says so with its ready file.
        string ready = ReadyFile(pidFile, process.Id);
        var clock = Stopwatch.StartNew();
        while (!File.Exists(ready))
        {
            if (process.HasExited)
                throw new ScriptException($"grandchild {process.Id} exited with {process.ExitCode} before it was ready");
            if (clock.Elapsed > ReadyTimeout)
                throw new ScriptException($"grandchild {process.Id} was not ready after {ReadyTimeout}");
            Thread.Sleep(5);
        }
        File.Delete(ready);
        return process.Id;
    }

    private static string ReadyFile(string pidFile, int pid) => $"{pidFile}.{pid}.ready";
}
