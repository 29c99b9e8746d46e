using Xunit;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

/// <summary>A folder under the temp directory with a GUID name, deleted on Dispose.</summary>
internal sealed class UnitTempDirectory : IDisposable
{
    public UnitTempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ccm-unit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temp folder does not make a test wrong.
        }
    }
}

/// <summary>A fact that only means something where Unix file modes exist.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "Unix file modes only.";
    }
}

/// <summary>A fact about Linux-only behaviour (XDG folders).</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "Linux only.";
    }
}
