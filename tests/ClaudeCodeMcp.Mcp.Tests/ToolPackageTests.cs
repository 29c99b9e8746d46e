using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Mcp.Tests;

/// <summary>
/// The host as a .NET tool (SURFACE.md "Distribution"): packed as `./build.ps1 -Package` packs it, then installed offline
/// from that folder alone with `dotnet tool install` and run with `dotnet dnx`: each answers initialize and runs a task.
/// </summary>
public sealed class ToolPackageTests
{
#if RELEASE
    [Fact]
#else
    [Fact(Skip = "The tool packages are made from a Release build (./build.ps1 -Package).")]
#endif
    public async Task The_tool_package_installs_offline_and_runs_a_task_installed_and_through_dnx()
    {
        await using var sandbox = new Sandbox();
        var folder = Directory.CreateTempSubdirectory("ccm-tool-package-").FullName;
        try
        {
            var packages = Path.Combine(folder, "packages");
            await RunAsync("dotnet", ["msbuild", TestPaths.Metadata("ServerProjectPath"), "-t:PackToolPackages", $"-p:PackageOutputPath={packages}",
                "-nologo", "-nodeReuse:false"], folder);
            var version = ClaudeMcpServer.Version;
            var native = $"claude-code-mcp.{RuntimeInformation.RuntimeIdentifier}";
            var pointer = Path.Combine(packages, $"claude-code-mcp.{version}.nupkg");
            Assert.True(File.Exists(Path.Combine(packages, $"{native}.{version}.nupkg")), "no native package");
            Assert.True(File.Exists(Path.Combine(packages, $"claude-code-mcp.any.{version}.nupkg")), "no framework-dependent fallback package");
            AssertIsMcpServerPackage(pointer, version);

            // Only the folder: a config that clears every other source, so nothing comes from a registry.
            var config = Path.Combine(folder, "nuget.config");
            await File.WriteAllTextAsync(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{packages}" />
                  </packageSources>
                </configuration>
                """);
            var tools = Path.Combine(folder, "tools");
            await RunAsync("dotnet", ["tool", "install", "--tool-path", tools, "--configfile", config, "claude-code-mcp", "--version", version], folder);
            // On this platform the command is the native package's executable.
            var command = Path.Combine(tools, "claude-code-mcp");
            var target = File.ResolveLinkTarget(command, returnFinalTarget: true)?.FullName ?? command;
            Assert.Contains($"{native}{Path.DirectorySeparatorChar}{version}", target);

            var psi = StdioHost.StartInfo(sandbox);
            psi.FileName = command;
            await using var host = new InstalledHost(Process.Start(psi)!);
            var init = await host.InitializeAsync("tool-package-test");
            Assert.Equal(version, init.GetProperty("result").GetProperty("serverInfo").GetProperty("version").GetString());
            var result = await host.CallToolAsync("claude_code_execute", new { prompt = "from the installed tool", working_dir = sandbox.WorkDir });
            Assert.False(result.GetProperty("isError").GetBoolean(), result.ToString());
            Assert.Equal("from the installed tool", result.GetProperty("structuredContent").GetProperty("result").GetString());
            await host.CloseInputAsync();
            Assert.True(host.Process.WaitForExit(60_000), "the installed host did not exit after its input ended");

            // dnx, the SDK's one-line runner, from the same folder alone, into a package cache of the test's own.
            var cache = Path.Combine(folder, "nuget-packages");
            var dnx = StdioHost.StartInfo(sandbox);
            var flags = dnx.ArgumentList.ToArray();
            dnx.FileName = "dotnet";
            dnx.ArgumentList.Clear();
            foreach (var arg in new[] { "dnx", "claude-code-mcp", "--version", version, "--source", packages, "--yes", "--" }.Concat(flags)) dnx.ArgumentList.Add(arg);
            dnx.Environment["NUGET_PACKAGES"] = cache;
            dnx.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            dnx.Environment["DOTNET_NOLOGO"] = "1";
            await using (var viaDnx = new InstalledHost(Process.Start(dnx)!))
            {
                await viaDnx.InitializeAsync("dnx-test");
                var viaDnxResult = await viaDnx.CallToolAsync("claude_code_execute", new { prompt = "through dnx", working_dir = sandbox.WorkDir });
                Assert.Equal("through dnx", viaDnxResult.GetProperty("structuredContent").GetProperty("result").GetString());
                await viaDnx.CloseInputAsync();
                Assert.True(viaDnx.Process.WaitForExit(60_000), "dnx did not exit after its input ended");
                // dnx writes nothing of its own to stdout, the MCP channel.
                viaDnx.AssertOnlyJsonRpc();
            }
            Assert.Contains(Directory.GetDirectories(cache), d => Path.GetFileName(d) == native);
            await ProcessAssert.AssertGoneAsync(RunningFrom(cache));
        }
        finally
        {
            foreach (var pid in RunningFrom(folder)) ProcessAssert.Kill(pid);
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A NuGet MCP server package: the McpServer package type, and .mcp/server.json naming this package, its version and stdio.</summary>
    private static void AssertIsMcpServerPackage(string nupkg, string version)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        using (var nuspec = new StreamReader(zip.GetEntry("claude-code-mcp.nuspec")!.Open()))
            Assert.Contains("<packageType name=\"McpServer\" />", nuspec.ReadToEnd());
        using var json = JsonDocument.Parse(zip.GetEntry(".mcp/server.json")!.Open());
        var package = json.RootElement.GetProperty("packages")[0];
        Assert.Equal(version, json.RootElement.GetProperty("version").GetString());
        Assert.Equal("nuget", package.GetProperty("registryType").GetString());
        Assert.Equal("claude-code-mcp", package.GetProperty("identifier").GetString());
        Assert.Equal(version, package.GetProperty("version").GetString());
        Assert.Equal("stdio", package.GetProperty("transport").GetProperty("type").GetString());
        // Every option it names is one the host takes.
        foreach (var argument in package.GetProperty("packageArguments").EnumerateArray())
            Assert.Contains(argument.GetProperty("name").GetString()!, ServerFlags.Help);
    }

    /// <summary>Processes whose executable lies inside <paramref name="folder"/>.</summary>
    private static List<int> RunningFrom(string folder)
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (File.ResolveLinkTarget(Path.Combine(dir, "exe"), returnFinalTarget: false)?.FullName.StartsWith(folder + "/", StringComparison.Ordinal) == true)
                    pids.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }
        return pids;
    }

    /// <summary>Runs a dotnet command to the end (bounded only to catch a hang); fails with its output if it fails.</summary>
    private static async Task RunAsync(string exe, string[] args, string workingDirectory)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = workingDirectory };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        // No build server, compiler server or node outlives the command.
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        psi.Environment["UseSharedCompilation"] = "false";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(20));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        Assert.True(process.ExitCode == 0, $"{exe} {string.Join(' ', args)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
    }

    private sealed class InstalledHost(Process process) : JsonRpcLineClient(process);
}
