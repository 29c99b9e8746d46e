using System.Reflection;
using System.Runtime.Loader;

namespace ClaudeCodeMcp;

/// <summary>
/// Loads the engine, the MCP tools and every third-party assembly they need from <c>Dependencies/</c>, even
/// when pwsh has loaded another version of one into the default context (System.Text.Json 8 in pwsh 7.4, 9 in
/// 7.5, 10 in 7.6): this side always gets the versions it was built with. Anything not in that folder (the
/// BCL, System.Management.Automation) comes from the default context. Only plain .NET types cross between
/// the two sides.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    /// <summary>The assemblies the root module references directly; the default context asks us for these.</summary>
    private static readonly string[] EntryAssemblies = ["ClaudeCodeMcp.Engine", "ClaudeCodeMcp.Mcp"];

    private static readonly object Gate = new();
    private static int s_hooks;

    private DependencyLoadContext(string directory) : base("ClaudeCodeMcp", isCollectible: false) => Directory = directory;

    /// <summary>The one context of this process, over the <c>Dependencies</c> folder beside the root module.</summary>
    public static DependencyLoadContext Instance { get; } =
        new(Path.Combine(Path.GetDirectoryName(typeof(DependencyLoadContext).Assembly.Location)!, "Dependencies"));

    public string Directory { get; }

    /// <summary>Lets the default context find the engine here. Counted: each import hooks, each removal unhooks.</summary>
    public static void Hook()
    {
        lock (Gate)
        {
            if (s_hooks++ == 0) Default.Resolving += ResolveEntryAssembly;
        }
    }

    public static void Unhook()
    {
        lock (Gate)
        {
            if (s_hooks > 0 && --s_hooks == 0) Default.Resolving -= ResolveEntryAssembly;
        }
    }

    /// <summary>The file of that name in <c>Dependencies/</c>, whatever the default context holds; else null (the default context's).</summary>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = Path.Combine(Directory, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    private static Assembly? ResolveEntryAssembly(AssemblyLoadContext context, AssemblyName name) =>
        Array.IndexOf(EntryAssemblies, name.Name) >= 0 ? Instance.LoadFromAssemblyName(name) : null;
}
