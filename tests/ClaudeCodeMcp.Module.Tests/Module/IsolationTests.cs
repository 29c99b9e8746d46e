using System.Runtime.InteropServices;
using System.Runtime.Loader;
using ClaudeCodeMcp.Module.Tests.Support;

namespace ClaudeCodeMcp.Module.Tests.Module;

public sealed class IsolationTests
{
    /// <summary>
    /// The engine loads from Dependencies/ (on linux-x64 from its ReadyToRun copy in Dependencies/linux-x64) in the
    /// module's context; System.Text.Json, which this .NET 10 host has at the same version, is the platform's own
    /// (compiled ahead of time), never a second copy. On .NET 8, where the platform's is older, the module's context
    /// loads the folder's (LoadContextOnNet8Tests).
    /// </summary>
    [Fact]
    public async Task The_engine_loads_from_Dependencies_in_the_module_load_context_and_System_Text_Json_is_the_platforms_own()
    {
        await using var sandbox = new ModuleSandbox();
        var result = sandbox.Run("Start-ClaudeTask 'hello' | Wait-Job | Receive-Job").Ok().Single();
        Assert.Equal("hello", result.Text("Result"));

        var engine = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "ClaudeCodeMcp.Engine");
        var context = AssemblyLoadContext.GetLoadContext(engine)!;
        var jsonTheEngineUses = engine.GetReferencedAssemblies().Single(a => a.Name == "System.Text.Json");
        var json = context.LoadFromAssemblyName(jsonTheEngineUses);

        Assert.Equal("ClaudeCodeMcp", context.Name);
        Assert.NotSame(AssemblyLoadContext.Default, context);
        var folder = Path.Combine(TestPaths.ModuleDirectory, "Dependencies");
        if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64) folder = Path.Combine(folder, "linux-x64");
        Assert.Equal(folder, Path.GetDirectoryName(engine.Location));
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(json));
        Assert.Equal(RuntimeEnvironmentDirectory(), Path.GetDirectoryName(json.Location));
        Assert.DoesNotContain(context.Assemblies, a => a.GetName().Name == "System.Text.Json");
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(ModuleInternals.RootAssembly!));
        Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name is "ClaudeCodeMcp.Engine" or "ClaudeCodeMcp.Mcp");
    }

    /// <summary>The shared framework's folder of this process (where System.Private.CoreLib lies).</summary>
    private static string RuntimeEnvironmentDirectory() => Path.GetDirectoryName(typeof(object).Assembly.Location)!;
}
