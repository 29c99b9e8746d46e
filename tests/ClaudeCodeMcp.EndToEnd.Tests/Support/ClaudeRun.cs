using System.Diagnostics;
using System.Text.Json;

namespace ClaudeCodeMcp.EndToEnd.Tests.Support;

/// <summary>One run of the real <c>claude -p</c> started by a test itself (not by the engine), e.g. as a parent session.</summary>
public sealed record ClaudeRun(int ExitCode, IReadOnlyList<JsonElement> Events, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>The last <c>result</c> event, or null when the run printed none.</summary>
    public JsonElement? Result => Events.LastOrDefault(e => e.TryGetProperty("type", out var t) && t.GetString() == "result") is { ValueKind: JsonValueKind.Object } r ? r : null;

    /// <summary>The <c>system</c>/<c>init</c> event.</summary>
    public JsonElement? Init => Events.FirstOrDefault(e => e.TryGetProperty("subtype", out var s) && s.GetString() == "init") is { ValueKind: JsonValueKind.Object } i ? i : null;

    public override string ToString() =>
        $"exit {ExitCode} after {Elapsed.TotalMilliseconds:0} ms\nstderr: {Stderr}\nstdout:\n{(Stdout.Length > 20_000 ? Stdout[..20_000] + "…" : Stdout)}";

    /// <summary>
    /// Runs <c>claude -p --output-format stream-json --verbose</c> plus <paramref name="flags"/> in <paramref name="workingDirectory"/>,
    /// with the prompt on stdin and the rig's environment. Past <paramref name="timeout"/>, kills the whole tree and fails.
    /// </summary>
    public static async Task<ClaudeRun> RunAsync(EndToEndRig rig, string prompt, string workingDirectory, TimeSpan timeout, params string[] flags)
    {
        var psi = new ProcessStartInfo(RealClaude.Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-p", "--output-format", "stream-json", "--verbose" }.Concat(flags)) psi.ArgumentList.Add(arg);
        psi.Environment.Clear();
        foreach (var (k, v) in rig.Environment) psi.Environment[k] = v;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(prompt);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"claude did not end within {timeout}; killed. stderr: {await stderr}\nstdout: {await stdout}");
        }
        var text = await stdout;
        var events = new List<JsonElement>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                events.Add(doc.RootElement.Clone());
            }
            catch (JsonException)
            {
                // Not an event; kept in Stdout for the failure message.
            }
        }
        return new ClaudeRun(process.ExitCode, events, text, await stderr, clock.Elapsed);
    }
}
