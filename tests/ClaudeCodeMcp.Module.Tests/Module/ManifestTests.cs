using System.Management.Automation;
using ClaudeCodeMcp.Module.Tests.Support;

namespace ClaudeCodeMcp.Module.Tests.Module;

public sealed class ManifestTests
{
    private static readonly string[] Cmdlets =
    [
        "Get-ClaudeTask", "Invoke-ClaudeCode", "Receive-ClaudeTask", "Remove-ClaudeTask",
        "Start-ClaudeMcpServer", "Start-ClaudeTask", "Stop-ClaudeTask", "Wait-ClaudeTask", "Watch-ClaudeTask",
    ];

    [Fact]
    public async Task Manifest_passes_Test_ModuleManifest_with_gallery_metadata()
    {
        await using var sandbox = new ModuleSandbox(import: false);
        var manifest = sandbox.Run("Test-ModuleManifest -Path $p", new() { ["p"] = TestPaths.ModuleManifest }).Ok().Single();

        Assert.Equal("ClaudeCodeMcp", manifest.Text("Name"));
        Assert.Equal(new Version(0, 1, 0), manifest.Get("Version"));
        Assert.NotEqual(Guid.Empty, (Guid)manifest.Get("Guid")!);
        Assert.Equal(new Version(7, 4), manifest.Get("PowerShellVersion"));
        Assert.Equal(["Core"], ((IEnumerable<string>)manifest.Get("CompatiblePSEditions")!).ToArray());
        Assert.False(string.IsNullOrWhiteSpace(manifest.Text("Author")));
        Assert.False(string.IsNullOrWhiteSpace(manifest.Text("Description")));
        Assert.Equal(Cmdlets, ((System.Collections.IDictionary)manifest.Get("ExportedCmdlets")!).Keys.Cast<string>().Order());
        Assert.NotNull(manifest.Get("ProjectUri"));
        Assert.NotNull(manifest.Get("LicenseUri"));
        Assert.Contains("MCP", ((IEnumerable<string>)manifest.Get("Tags")!));
        Assert.Contains(((IEnumerable<string>)manifest.Get("ExportedFormatFiles")!), f => f.EndsWith("ClaudeCodeMcp.Format.ps1xml", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_Module_by_path_exports_the_eight_cmdlets()
    {
        await using var sandbox = new ModuleSandbox();
        var names = sandbox.Run("(Get-Command -Module ClaudeCodeMcp).Name").Ok().Select(o => o.ToString()).Order();

        Assert.Equal(Cmdlets, names);
    }

    [Fact]
    public async Task Module_folder_holds_only_the_root_assembly_beside_the_manifest()
    {
        await using var sandbox = new ModuleSandbox(import: false);
        var top = Directory.GetFiles(TestPaths.ModuleDirectory, "*.dll").Select(Path.GetFileName);
        var dependencies = Directory.GetFiles(Path.Combine(TestPaths.ModuleDirectory, "Dependencies"), "*.dll").Select(Path.GetFileName).ToList();

        Assert.Equal(["ClaudeCodeMcp.dll"], top);
        Assert.Contains("ClaudeCodeMcp.Engine.dll", dependencies);
        Assert.Contains("ClaudeCodeMcp.Mcp.dll", dependencies);
        Assert.Contains("ModelContextProtocol.Core.dll", dependencies);
        Assert.Contains("System.Text.Json.dll", dependencies);
        Assert.Contains("Microsoft.Extensions.Logging.Abstractions.dll", dependencies);
        Assert.DoesNotContain("System.Management.Automation.dll", dependencies);
        Assert.True(System.IO.File.Exists(Path.Combine(TestPaths.ModuleDirectory, "ClaudeCodeMcp.Format.ps1xml")));
    }

    [Fact]
    public void Root_assembly_references_nothing_newer_than_net8_and_no_third_party_assembly()
    {
        var root = System.Reflection.Metadata.MetadataReaderProvider.FromMetadataStream(
            System.IO.File.OpenRead(Path.Combine(TestPaths.ModuleDirectory, "ClaudeCodeMcp.dll")), System.Reflection.Metadata.MetadataStreamOptions.Default);
        var references = ReadReferences(Path.Combine(TestPaths.ModuleDirectory, "ClaudeCodeMcp.dll"));

        Assert.All(references, r => Assert.True(
            r.Name is "System.Management.Automation" or "ClaudeCodeMcp.Engine" or "ClaudeCodeMcp.Mcp"
            || ((r.Name.StartsWith("System", StringComparison.Ordinal) || r.Name == "netstandard") && r.Version.Major <= 8),
            $"The root module references {r.Name} {r.Version}, which pwsh 7.4 may not have."));
        root.Dispose();
    }

    /// <summary>
    /// The Release build leaves ReadyToRun copies (code compiled ahead of time for .NET 10 on linux-x64) of the
    /// dependencies pwsh 7.6 does not lend, in Dependencies/linux-x64 beside the IL files every platform loads.
    /// </summary>
    [Fact]
    public void Dependencies_hold_ReadyToRun_copies_for_linux_x64_of_what_the_platform_does_not_lend()
    {
        var dependencies = Path.Combine(TestPaths.ModuleDirectory, "Dependencies");
        var native = Path.Combine(dependencies, "linux-x64");
        var copies = Directory.GetFiles(native, "*.dll").Select(Path.GetFileName).Order().ToList();

        Assert.Equal(
            ["ClaudeCodeMcp.Engine.dll", "ClaudeCodeMcp.Mcp.dll", "Microsoft.Extensions.AI.Abstractions.dll",
             "Microsoft.Extensions.DependencyInjection.Abstractions.dll", "Microsoft.Extensions.Logging.Abstractions.dll", "ModelContextProtocol.Core.dll"],
            copies);
        Assert.All(copies, name =>
        {
            Assert.True(IsReadyToRun(Path.Combine(native, name!)), $"{name} in Dependencies/linux-x64 has no ReadyToRun code");
            Assert.False(IsReadyToRun(Path.Combine(dependencies, name!)), $"{name} in Dependencies/ is not plain IL");
        });
    }

    private static bool IsReadyToRun(string path)
    {
        using var stream = System.IO.File.OpenRead(path);
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        return pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0;
    }

    private static List<(string Name, Version Version)> ReadReferences(string path)
    {
        using var stream = System.IO.File.OpenRead(path);
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        var reader = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        return reader.AssemblyReferences.Select(h => reader.GetAssemblyReference(h))
            .Select(r => (reader.GetString(r.Name), r.Version)).ToList();
    }
}
