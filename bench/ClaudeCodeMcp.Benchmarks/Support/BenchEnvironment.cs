using System.Reflection;

namespace ClaudeCodeMcp.Benchmarks.Support;

/// <summary>Paths and a private temp folder for one run.</summary>
public sealed class BenchEnvironment : IDisposable
{
    public BenchEnvironment()
    {
        var root = typeof(BenchEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
        RepoRoot = Path.GetFullPath(root);
        Root = Directory.CreateTempSubdirectory("ccm-bench-").FullName;
        Directory.CreateDirectory(WorkDir);
        if (Directory.Exists("/dev/shm"))
            MemoryRoot = Directory.CreateDirectory(Path.Combine("/dev/shm", $"ccm-bench-{Guid.NewGuid():N}")).FullName;
    }

    /// <summary>A private folder on tmpfs (Linux), to tell the disk's share of a figure from the engine's; null elsewhere.</summary>
    public string? MemoryRoot { get; }

    public string RepoRoot { get; }
    public string Root { get; }
    public string WorkDir => Path.Combine(Root, "work");
    public string FakeClaude => Path.Combine(RepoRoot, "bench", "fake-claude.sh");
    public string Host => Path.Combine(RepoRoot, "out", "claude-code-mcp", "claude-code-mcp");
    public string Module => Path.Combine(RepoRoot, "out", "ClaudeCodeMcp", "ClaudeCodeMcp.psd1");

    /// <summary>Real pwsh 7.6.9 as the build installs it for the tests (tests/Pwsh), run as `dotnet pwsh.dll` so the timed process is pwsh itself.</summary>
    public string PwshDll => Path.Combine(RepoRoot, "tests", "Pwsh", "tool", ".store", "powershell", "7.6.9", "powershell", "7.6.9", "tools", "net10.0", "any", "unix", "pwsh.dll");

    /// <summary>The arguments of `pwsh -NoProfile -NonInteractive -Command <paramref name="script"/>` after `dotnet`.</summary>
    public string[] PwshArguments(string script) => [PwshDll, "-NoProfile", "-NonInteractive", "-Command", script];

    /// <summary>A fresh state folder inside the run's temp folder.</summary>
    public string NewStateDir() => NewFolder("state");

    /// <summary>A fresh, uniquely named folder inside the run's temp folder.</summary>
    public string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(Root, $"{name}-{Guid.NewGuid():N}")).FullName;

    /// <summary>A fresh state folder on tmpfs, or null where there is none.</summary>
    public string? NewMemoryStateDir() =>
        MemoryRoot is null ? null : Directory.CreateDirectory(Path.Combine(MemoryRoot, $"state-{Guid.NewGuid():N}")).FullName;

    public void Dispose()
    {
        foreach (var root in new[] { Root, MemoryRoot })
        {
            try
            {
                if (root is not null) Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
