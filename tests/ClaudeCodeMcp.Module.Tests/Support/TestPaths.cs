using System.Reflection;

namespace ClaudeCodeMcp.Module.Tests.Support;

/// <summary>Where the build left the module and the test doubles.</summary>
public static class TestPaths
{
    public static string ModuleManifest { get; } = Metadata("ModuleManifestPath");
    public static string ModuleDirectory { get; } = Path.GetDirectoryName(ModuleManifest)!;
    public static string FakeClaude { get; } = Metadata("FakeClaudePath");
    public static string Net8Loader => Metadata("Net8LoaderPath");
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot", mustExist: false);

    private static string Metadata(string key, bool mustExist = true)
    {
        var path = typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        path = Path.GetFullPath(path);
        if (mustExist && !File.Exists(path)) throw new InvalidOperationException($"{key} not built: {path}");
        return path;
    }
}
