// FakeClaude: a scriptable test double of `claude -p --output-format stream-json --verbose`.
// The prompt arrives on stdin; its `fake:...` lines (see Script.cs) script what the fake prints and does.
using System.Diagnostics;
using System.Text;

namespace FakeClaude;

internal static class Program
{
    private static int Main(string[] args)
    {
        var clock = Stopwatch.StartNew();
        if (args.Length > 0 && args[0] == Grandchildren.Flag) return Grandchildren.Run(args);

        CliOptions options;
        try
        {
            options = CliOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Stderr.WriteLine(e.Message);
            return 1;
        }
        if (options.OutputFormat == "stream-json" && !options.Verbose)
        {
            Stderr.WriteLine("Error: When using --print, --output-format=stream-json requires --verbose");
            return 1;
        }

        var stdout = new Stdout();
        var events = new StreamJson(stdout, options, clock);
        Signals.Install(stdout, events);

        string prompt = ReadStdin();
        if (string.IsNullOrWhiteSpace(prompt))
        {
            Stderr.WriteLine("Error: Input contained only whitespace");
            return 1;
        }

        prompt = Sessions.Begin(events.SessionId, options.Resume is not null, prompt);
        try
        {
            return new Script(prompt, args, events, stdout).Run();
        }
        catch (ScriptException e)
        {
            Stderr.WriteLine($"FakeClaude: bad directive {e.Message}");
            return 2;
        }
    }

    /// <summary>All of stdin as UTF-8, verbatim (a leading BOM is kept as U+FEFF, nothing is normalized).</summary>
    private static string ReadStdin()
    {
        using var reader = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false);
        return reader.ReadToEnd();
    }
}
