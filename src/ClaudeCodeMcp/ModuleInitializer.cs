using System.Management.Automation;

namespace ClaudeCodeMcp;

/// <summary>
/// Runs when the module is imported and removed: hooks and unhooks the dependency load context. Removing the
/// module (also <c>Import-Module -Force</c>) neither waits for nor stops tasks: the engines live as long as the
/// process, and stop their children when it exits.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport() => DependencyLoadContext.Hook();

    public void OnRemove(PSModuleInfo psModuleInfo) => DependencyLoadContext.Unhook();
}
