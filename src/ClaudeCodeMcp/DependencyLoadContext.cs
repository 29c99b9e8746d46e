using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace ClaudeCodeMcp;

/// <summary>
/// Loads the engine, the MCP tools and every third-party assembly they need from <c>Dependencies/</c>, even
/// when pwsh has loaded an older version of one into the default context (System.Text.Json 8 in pwsh 7.4, 9 in
/// 7.5): this side always gets the versions it was built with, or the platform's own when it has the same (see
/// <see cref="Load"/>). Anything not in that folder (the BCL, System.Management.Automation) comes from the default
/// context. Only plain .NET types cross between the two sides.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    /// <summary>The assemblies the root module references directly; the default context asks us for these.</summary>
    private static readonly string[] EntryAssemblies = ["ClaudeCodeMcp.Engine", "ClaudeCodeMcp.Mcp"];

    private static readonly object Gate = new();
    private static int s_hooks;

    private DependencyLoadContext(string directory) : base("ClaudeCodeMcp", isCollectible: false)
    {
        Directory = directory;
        var native = Path.Combine(directory, PlatformName);
        NativeDirectory = System.IO.Directory.Exists(native) ? native : null;
    }

    /// <summary>The one context of this process, over the <c>Dependencies</c> folder beside the root module.</summary>
    public static DependencyLoadContext Instance { get; } =
        new(Path.Combine(Path.GetDirectoryName(typeof(DependencyLoadContext).Assembly.Location)!, "Dependencies"));

    public string Directory { get; }

    /// <summary>
    /// <c>Dependencies/&lt;os&gt;-&lt;arch&gt;</c> when the build left ReadyToRun copies for this platform (ReadyToRun.targets),
    /// else null. Their code is compiled ahead of time for .NET 10 (pwsh 7.6); other runtimes read their IL as from the
    /// folder above. Never another platform's: the runtime refuses to load those at all.
    /// </summary>
    public string? NativeDirectory { get; }

    /// <summary>This process's OS and architecture as the build names the folder: linux-x64, osx-arm64, win-x64.</summary>
    private static string PlatformName =>
        (OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : OperatingSystem.IsLinux() ? "linux" : "other")
        + "-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();

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

    /// <summary>
    /// The file of that name in <c>Dependencies/</c> (its ReadyToRun copy in <see cref="NativeDirectory"/> if there is
    /// one), unless the platform (pwsh's runtime and its own assemblies) has the same assembly at the same major version,
    /// as new or newer: then null, the default context's copy. So pwsh 7.6
    /// (.NET 10) lends its System.Text.Json, compiled ahead of time, where a second copy from this folder would be
    /// compiled method by method as the server starts (1,351 methods at its first answer); pwsh 7.4 and 7.5, whose
    /// System.Text.Json is older, still get this folder's. Anything not in the folder comes from the default context.
    /// </summary>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = Path.Combine(Directory, assemblyName.Name + ".dll");
        if (!File.Exists(path)) return null;
        if (PlatformHasAtLeast(assemblyName.Name!, AssemblyName.GetAssemblyName(path).Version)) return null;
        var native = NativeDirectory is null ? null : Path.Combine(NativeDirectory, assemblyName.Name + ".dll");
        return LoadFromAssemblyPath(native is not null && File.Exists(native) ? native : path);
    }

    /// <summary>The platform's own assemblies (the runtime's trusted list), by name: read once.</summary>
    private static readonly Lazy<Dictionary<string, string>> Platform = new(() =>
        ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .GroupBy(Path.GetFileNameWithoutExtension, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key!, g => g.First(), StringComparer.OrdinalIgnoreCase));

    private static bool PlatformHasAtLeast(string name, Version? ours)
    {
        if (ours is null || Array.IndexOf(EntryAssemblies, name) >= 0 || !Platform.Value.TryGetValue(name, out var path)) return false;
        try
        {
            var theirs = AssemblyName.GetAssemblyName(path).Version;
            return theirs is not null && theirs.Major == ours.Major && theirs >= ours;
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static Assembly? ResolveEntryAssembly(AssemblyLoadContext context, AssemblyName name) =>
        Array.IndexOf(EntryAssemblies, name.Name) >= 0 ? Instance.LoadFromAssemblyName(name) : null;
}
