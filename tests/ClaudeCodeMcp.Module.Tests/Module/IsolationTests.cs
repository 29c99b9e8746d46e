using System.Runtime.Loader;
using ClaudeCodeMcp.Module.Tests.Support;

namespace ClaudeCodeMcp.Module.Tests.Module;

public sealed class IsolationTests
{
    [Fact]
    public async Task Engine_and_System_Text_Json_load_from_Dependencies_in_the_module_load_context()
    {
        await using var sandbox = new ModuleSandbox();
        var result = sandbox.Run("Start-ClaudeTask 'hello' | Wait-Job | Receive-Job").Ok().Single();
        Assert.Equal("hello", result.Text("Result"));

        var engine = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "ClaudeCodeMcp.Engine");
        var context = AssemblyLoadContext.GetLoadContext(engine)!;
        var json = context.Assemblies.Single(a => a.GetName().Name == "System.Text.Json");

        Assert.Equal("ClaudeCodeMcp", context.Name);
        Assert.NotSame(AssemblyLoadContext.Default, context);
        Assert.Equal(Path.Combine(TestPaths.ModuleDirectory, "Dependencies"), Path.GetDirectoryName(engine.Location));
        Assert.Equal(Path.Combine(TestPaths.ModuleDirectory, "Dependencies"), Path.GetDirectoryName(json.Location));
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(ModuleInternals.RootAssembly!));
        Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name is "ClaudeCodeMcp.Engine" or "ClaudeCodeMcp.Mcp");
    }
}
