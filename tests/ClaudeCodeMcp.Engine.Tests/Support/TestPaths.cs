using System.Reflection;

namespace ClaudeCodeMcp.Engine.Tests.Support;

/// <summary>Where the build left the test doubles.</summary>
public static class TestPaths
{
    public static string FakeClaude { get; } = Metadata("FakeClaudePath");
    public static string EngineHost { get; } = Metadata("EngineHostPath");

    /// <summary>A path the test project's build recorded under <paramref name="key"/>.</summary>
    public static string Metadata(string key)
    {
        var path = typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        path = Path.GetFullPath(path);
        if (!File.Exists(path)) throw new InvalidOperationException($"{key} not built: {path}");
        return path;
    }
}
