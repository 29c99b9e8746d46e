using System.Management.Automation;

namespace ClaudeCodeMcp;

/// <summary>
/// Runs when the module is imported and removed: hooks the dependency load context, and on the last removal
/// stops the children of this process's engines (the engine also stops them when the process exits).
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static int s_imports;

    public void OnImport()
    {
        DependencyLoadContext.Hook();
        Interlocked.Increment(ref s_imports);
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        if (Interlocked.Decrement(ref s_imports) == 0) SharedEngine.DisposeAll();
        DependencyLoadContext.Unhook();
    }
}
