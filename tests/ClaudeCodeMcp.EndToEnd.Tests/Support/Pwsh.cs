using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.EndToEnd.Tests.Support;

/// <summary>The PowerShell side: the module as built to out/ClaudeCodeMcp, run by real pwsh 7.6.9 (<see cref="RealPwsh"/>).</summary>
public static class Pwsh
{
    /// <summary>out/ClaudeCodeMcp/ClaudeCodeMcp.psd1.</summary>
    public static string ModuleManifest { get; } = Path.GetFullPath(
        typeof(Pwsh).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "ModuleManifestPath").Value!);

    /// <summary>Skips the calling test, loudly, when the real CLI or the module is missing.</summary>
    public static void SkipUnlessBuilt()
    {
        RealClaude.SkipUnlessInstalled();
        Skip.IfNot(File.Exists(ModuleManifest), $"END-TO-END TEST NOT RUN: the PowerShell module is not built at {ModuleManifest}. Run `dotnet build -c Release` at the repository root.");
    }

    /// <summary>A PowerShell single-quoted string literal.</summary>
    public static string Quote(string text) => RealPwsh.Quote(text);

    /// <summary>
    /// Runs <c>pwsh -NoProfile -NonInteractive -Command <paramref name="script"/></c> in <paramref name="workingDirectory"/>
    /// with exactly <paramref name="environment"/>. Past <paramref name="timeout"/>, kills the whole tree and fails.
    /// </summary>
    public static Task<PwshRun> RunAsync(string script, string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout) =>
        RealPwsh.RunAsync(script, workingDirectory, timeout, environment);
}
