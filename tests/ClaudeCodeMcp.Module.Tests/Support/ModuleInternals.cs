using System.Reflection;

namespace ClaudeCodeMcp.Module.Tests.Support;

/// <summary>
/// Reaches the loaded module's internals by reflection (this project references no module assembly, so that
/// the engine loads from Dependencies/ exactly as in pwsh).
/// </summary>
public static class ModuleInternals
{
    public static Assembly? RootAssembly =>
        AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "ClaudeCodeMcp" && !a.IsDynamic);

    /// <summary>Stops the children of a state folder's engine and forgets it, so tests do not pile up engines.</summary>
    public static void ReleaseEngine(string stateDirectory)
    {
        var type = RootAssembly?.GetType("ClaudeCodeMcp.SharedEngine");
        type?.GetMethod("Release", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!.Invoke(null, [stateDirectory]);
    }
}
