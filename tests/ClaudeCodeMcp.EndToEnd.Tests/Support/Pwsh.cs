using System.Diagnostics;
using System.Reflection;

namespace ClaudeCodeMcp.EndToEnd.Tests.Support;

/// <summary>
/// The PowerShell side: the module as built to out/ClaudeCodeMcp, and tests/PwshHost, the stand-in for
/// <c>pwsh -NoProfile -NonInteractive -Command "&lt;script&gt;"</c> (the real engine, SMA 7.6.9, behind a host that
/// writes every stream but errors to stdout, as pwsh's console host does).
/// </summary>
public static class Pwsh
{
    /// <summary>out/ClaudeCodeMcp/ClaudeCodeMcp.psd1.</summary>
    public static string ModuleManifest { get; } = Path.GetFullPath(Metadata("ModuleManifestPath"));

    /// <summary>tests/PwshHost/bin/&lt;Configuration&gt;/net10.0/PwshHost.</summary>
    public static string Host { get; } = Path.GetFullPath(Metadata("PwshHostPath"));

    /// <summary>Skips the calling test, loudly, when the real CLI, the module or PwshHost is missing.</summary>
    public static void SkipUnlessBuilt()
    {
        RealClaude.SkipUnlessInstalled();
        Skip.IfNot(File.Exists(ModuleManifest), $"END-TO-END TEST NOT RUN: the PowerShell module is not built at {ModuleManifest}. Run `dotnet build -c Release` at the repository root.");
        Skip.IfNot(File.Exists(Host), $"END-TO-END TEST NOT RUN: PwshHost is not built at {Host}. Run `dotnet build -c Release` at the repository root.");
    }

    /// <summary>A PowerShell single-quoted string literal.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// Runs <c>PwshHost -Command <paramref name="script"/></c> in <paramref name="workingDirectory"/> with exactly
    /// <paramref name="environment"/>. Past <paramref name="timeout"/>, kills the whole tree and fails.
    /// </summary>
    public static async Task<PwshRun> RunAsync(string script, string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(Host)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-Command");
        psi.ArgumentList.Add(script);
        psi.Environment.Clear();
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"PwshHost did not end within {timeout}; killed. stderr: {await stderr}\nstdout: {await stdout}");
        }
        return new PwshRun(process.ExitCode, await stdout, await stderr, clock.Elapsed);
    }

    private static string Metadata(string key) =>
        typeof(Pwsh).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}

/// <summary>One run of PwshHost.</summary>
public sealed record PwshRun(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>The stdout lines that start with <paramref name="prefix"/>, the prefix removed.</summary>
    public List<string> LinesAfter(string prefix) =>
        Stdout.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l[prefix.Length..]).ToList();

    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalMilliseconds:0} ms\nstderr: {Stderr}\nstdout:\n{Stdout}";
}
