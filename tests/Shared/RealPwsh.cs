using System.Diagnostics;
using System.Reflection;

namespace ClaudeCodeMcp.Tests.Shared;

/// <summary>
/// Real pwsh 7.6.9 and Pester 5.7.1, as tests/Pwsh installs them (a test project imports tests/Pwsh/Pwsh.props for
/// the paths). pwsh starts as <c>dotnet pwsh.dll -NoProfile -NonInteractive -Command ...</c>: the tool's shim would
/// run pwsh as a child of its own, and a test that sends signals needs pwsh's own pid. Every pwsh gets a private
/// HOME (so the user's profile, module path, history and state folder are never touched), no telemetry and no
/// update check.
/// </summary>
public static class RealPwsh
{
    private static readonly Lazy<string> PrivateHome = new(() =>
    {
        var home = Path.Combine(Path.GetTempPath(), "ccm-pwsh-home-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(home, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return home;
    });

    /// <summary>pwsh.dll of the installed tool.</summary>
    public static string Dll => Metadata("PwshDll");

    /// <summary>Pester.psd1 of the NuGet download.</summary>
    public static string PesterManifest => Metadata("PesterManifest");

    /// <summary>The dotnet host that runs this test process (the one the tests were started with).</summary>
    public static string Dotnet { get; } =
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";

    /// <summary>The executable and arguments of <c>pwsh -NoProfile -NonInteractive -Command <paramref name="script"/></c>.</summary>
    public static (string FileName, string[] Arguments) Command(string script) =>
        (Dotnet, [Dll, "-NoProfile", "-NonInteractive", "-Command", script]);

    /// <summary>
    /// The variables every test pwsh gets: a private HOME (and XDG folders under it), no telemetry, no update check.
    /// </summary>
    public static IReadOnlyDictionary<string, string> IsolationEnvironment => new Dictionary<string, string>
    {
        ["HOME"] = PrivateHome.Value,
        ["XDG_CONFIG_HOME"] = Path.Combine(PrivateHome.Value, ".config"),
        ["XDG_DATA_HOME"] = Path.Combine(PrivateHome.Value, ".local", "share"),
        ["XDG_CACHE_HOME"] = Path.Combine(PrivateHome.Value, ".cache"),
        ["XDG_STATE_HOME"] = Path.Combine(PrivateHome.Value, ".local", "state"),
        ["POWERSHELL_TELEMETRY_OPTOUT"] = "1",
        ["POWERSHELL_UPDATECHECK"] = "Off",
        ["POWERSHELL_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    /// <summary>
    /// A start of pwsh with every stream redirected. The environment is this process's with
    /// <see cref="IsolationEnvironment"/> on top or, when given, exactly <paramref name="environment"/> (a test's own
    /// sandbox, HOME included) completed by what it lacks of <see cref="IsolationEnvironment"/>.
    /// </summary>
    public static ProcessStartInfo StartInfo(string script, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (fileName, arguments) = Command(script);
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) psi.ArgumentList.Add(argument);
        if (environment is not null)
        {
            psi.Environment.Clear();
            foreach (var (key, value) in environment) psi.Environment[key] = value;
        }
        foreach (var (key, value) in IsolationEnvironment)
        {
            if (environment is null || !environment.ContainsKey(key)) psi.Environment[key] = value;
        }
        // A test run that is itself inside a Claude task (a developer's session) must not make the tests' doors nested.
        if (environment is null)
        {
            foreach (var nesting in (string[])["CLAUDE_CODE_MCP_DEPTH", "CLAUDE_CODE_MCP_MAX_DEPTH", "CLAUDE_CODE_MCP_TASK_ID"]) psi.Environment.Remove(nesting);
        }
        return psi;
    }

    /// <summary>A PowerShell single-quoted string literal.</summary>
    public static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// Runs the script to its end with stdin closed. Past <paramref name="timeout"/> (a hang), kills the whole tree
    /// and fails with what pwsh printed.
    /// </summary>
    public static async Task<PwshRun> RunAsync(string script, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null, IReadOnlyDictionary<string, string>? extraVariables = null)
    {
        var psi = StartInfo(script, workingDirectory, environment);
        foreach (var (key, value) in extraVariables ?? new Dictionary<string, string>()) psi.Environment[key] = value;
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
            throw new TimeoutException($"pwsh did not end within {timeout}; killed.\nstderr: {await stderr}\nstdout: {await stdout}");
        }
        return new PwshRun(process.ExitCode, await stdout, await stderr, clock.Elapsed);
    }

    private static string Metadata(string key)
    {
        var value = typeof(RealPwsh).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
                    ?? throw new InvalidOperationException($"This test project does not import tests/Pwsh/Pwsh.props ({key}).");
        var path = Path.GetFullPath(value);
        if (!File.Exists(path)) throw new InvalidOperationException($"{key} is missing at {path}: build tests/Pwsh/Pwsh.csproj (dotnet build -c Release at the repository root installs pwsh and Pester).");
        return path;
    }
}

/// <summary>One run of pwsh to its end.</summary>
public sealed record PwshRun(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>The stdout lines that start with <paramref name="prefix"/>, the prefix removed.</summary>
    public List<string> LinesAfter(string prefix) =>
        Stdout.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l[prefix.Length..]).ToList();

    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalMilliseconds:0} ms\nstderr: {Stderr}\nstdout:\n{Stdout}";
}
