using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ClaudeCodeMcp.EndToEnd.Tests.Support;

/// <summary>
/// The real Claude Code CLI, pinned in tests/ClaudeCli and installed there by this project's build. Where it is
/// missing, every test calls <see cref="SkipUnlessInstalled"/> and reports SKIPPED with the reason: never a silent pass.
/// </summary>
public static class RealClaude
{
    public const string PinnedVersion = "2.1.331";

    /// <summary>tests/ClaudeCli/ (holds package.json and, once installed, node_modules).</summary>
    public static string Folder { get; } = Metadata("ClaudeCliDir");

    /// <summary>The standalone MCP host, out/claude-code-mcp/claude-code-mcp.</summary>
    public static string ServerHost { get; } = Path.GetFullPath(Metadata("ServerHostPath"));

    /// <summary>The platform package that holds the native binary, e.g. <c>@anthropic-ai/claude-code-linux-x64</c>.</summary>
    public static string PlatformPackage { get; } = "@anthropic-ai/claude-code-" + PlatformSuffix();

    /// <summary>The native binary, run directly (the npm shim and its postinstall are not used).</summary>
    public static string Executable { get; } = Path.Combine(Folder, "node_modules", PlatformPackage,
        OperatingSystem.IsWindows() ? "claude.exe" : "claude");

    /// <summary>Why the real CLI cannot run here, or null when it can.</summary>
    public static string? MissingReason { get; } = FindMissingReason();

    /// <summary>Skips the calling test, loudly, when the real CLI or the host is missing.</summary>
    public static void SkipUnlessInstalled()
    {
        Skip.If(MissingReason is not null, MissingReason);
        Skip.IfNot(File.Exists(ServerHost), $"END-TO-END TEST NOT RUN: the standalone host is not built at {ServerHost}. Run `dotnet build -c Release` at the repository root.");
    }

    private static string? FindMissingReason()
    {
        const string how = "This end-to-end test did NOT run. The test project's build installs it with `npm ci` in tests/ClaudeCli "
                           + "(see the build's warning); to install it by hand run `npm ci --ignore-scripts` in ";
        if (!OperatingSystem.IsLinux())
            return "END-TO-END TEST NOT RUN: these tests need Linux (they read /proc to prove no process is left).";
        if (!File.Exists(Executable))
            return $"END-TO-END TEST NOT RUN: the real Claude Code CLI {PinnedVersion} is not installed: {Executable} is missing. {how}{Folder}.";
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(Executable)!, "package.json")));
            var version = doc.RootElement.GetProperty("version").GetString();
            if (version != PinnedVersion)
                return $"END-TO-END TEST NOT RUN: {PlatformPackage} is {version}, not the pinned {PinnedVersion}. {how}{Folder}.";
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException)
        {
            return $"END-TO-END TEST NOT RUN: cannot read the version of {PlatformPackage}: {e.Message}. {how}{Folder}.";
        }
        return null;
    }

    private static string PlatformSuffix()
    {
        var os = OperatingSystem.IsWindows() ? "win32" : OperatingSystem.IsMacOS() ? "darwin" : "linux";
        var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "x64";
        var musl = OperatingSystem.IsLinux() && RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.Ordinal) ? "-musl" : "";
        return $"{os}-{arch}{musl}";
    }

    private static string Metadata(string key) =>
        typeof(RealClaude).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
