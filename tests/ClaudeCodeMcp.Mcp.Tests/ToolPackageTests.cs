using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;
using Xunit.Abstractions;

namespace ClaudeCodeMcp.Mcp.Tests;

/// <summary>
/// The host as a .NET tool (SURFACE.md "Distribution"): packed as `./build.ps1 -Package` packs it, then installed offline
/// from that folder alone with `dotnet tool install` and run with `dotnet dnx`: each answers initialize and runs a task.
/// The packages are made once for the class (<see cref="ToolPackages"/>).
/// </summary>
public sealed class ToolPackageTests(ToolPackageTests.ToolPackages packed, ITestOutputHelper output) : IClassFixture<ToolPackageTests.ToolPackages>
{
    /// <summary>Where Debian's libc6-arm64-cross puts arm64's glibc: qemu-user's -L, the root it loads the host's libraries from.</summary>
    private const string Arm64Root = "/usr/aarch64-linux-gnu";

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
            var packages = await packed.FolderAsync();
            var version = ClaudeMcpServer.Version;
            var native = $"claude-code-mcp.{RuntimeInformation.RuntimeIdentifier}";
            var pointer = Path.Combine(packages, $"claude-code-mcp.{version}.nupkg");
            Assert.True(File.Exists(Path.Combine(packages, $"{native}.{version}.nupkg")), "no native package");
            Assert.True(File.Exists(Path.Combine(packages, $"claude-code-mcp.any.{version}.nupkg")), "no framework-dependent fallback package");
            AssertIsMcpServerPackage(pointer, version);

            var config = await OnlyTheFolderAsync(folder, packages);
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

    /// <summary>
    /// linux-arm64's package, cross-compiled on linux-x64: the pointer names it, and what it holds is one Native AOT
    /// executable for aarch64 that needs nothing but glibc. Run by qemu-user
    /// (over Debian's arm64 glibc), it answers initialize and runs a task with the fake claude (an x64 program, which
    /// the kernel runs natively).
    /// </summary>
#if RELEASE
    [Fact]
#else
    [Fact(Skip = "The tool packages are made from a Release build (./build.ps1 -Package).")]
#endif
    public async Task The_linux_arm64_package_is_native_aot_for_aarch64_and_serves_under_qemu()
    {
        await using var sandbox = new Sandbox();
        var folder = Directory.CreateTempSubdirectory("ccm-tool-package-arm64-").FullName;
        try
        {
            var packages = await packed.FolderAsync();
            var version = ClaudeMcpServer.Version;
            Assert.True(File.Exists(Path.Combine(packages, $"claude-code-mcp.linux-arm64.{version}.nupkg")), "no linux-arm64 package");
            var pointedAt = PointedAt(Path.Combine(packages, $"claude-code-mcp.{version}.nupkg"));
            Assert.Contains(("linux-arm64", "claude-code-mcp.linux-arm64"), pointedAt);
            Assert.Equal(new[] { "linux-x64", "linux-arm64", "any" }, pointedAt.Select(p => p.Rid));

            // What `dotnet tool install` on an arm64 Linux unpacks (its --arch picks another architecture only on Windows and
            // macOS): the tool's settings, naming the command and its executable, and that executable alone beside them,
            // no assemblies and no runtime.
            var unpacked = Path.Combine(folder, "linux-arm64");
            ZipFile.ExtractToDirectory(Path.Combine(packages, $"claude-code-mcp.linux-arm64.{version}.nupkg"), unpacked);
            var toolDir = Path.Combine(unpacked, "tools", "any", "linux-arm64");
            Assert.Equal(new[] { "DotnetToolSettings.xml", "claude-code-mcp" }, Directory.GetFiles(toolDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            var command = System.Xml.Linq.XDocument.Load(Path.Combine(toolDir, "DotnetToolSettings.xml")).Descendants("Command").Single();
            Assert.Equal("claude-code-mcp", (string?)command.Attribute("Name"));
            Assert.Equal("claude-code-mcp", (string?)command.Attribute("EntryPoint"));
            Assert.Equal("executable", (string?)command.Attribute("Runner"));
            var executable = Path.Combine(toolDir, "claude-code-mcp");
            File.SetUnixFileMode(executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            var elf = ElfImage.Read(executable);
            Assert.Equal(0xB7, elf.Machine); // EM_AARCH64
            Assert.Equal("/lib/ld-linux-aarch64.so.1", elf.Interpreter);
            // Only glibc, which every glibc-based arm64 Linux has: no libstdc++, OpenSSL, ICU or zlib of the system's.
            Assert.Empty(elf.Needed.Except(["libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "ld-linux-aarch64.so.1"]));
            Assert.Contains("libc.so.6", elf.Needed);

            var qemu = OnPath("qemu-aarch64") ?? throw new InvalidOperationException("qemu-aarch64 is not on PATH: apt-get install qemu-user (.ci/run does).");
            Assert.True(File.Exists(Path.Combine(Arm64Root, "lib", "ld-linux-aarch64.so.1")), $"no arm64 glibc in {Arm64Root}: apt-get install libc6-arm64-cross (.ci/run does).");
            var psi = StdioHost.StartInfo(sandbox);
            psi.FileName = qemu;
            foreach (var (arg, i) in new[] { "-L", Arm64Root, executable }.Select((a, i) => (a, i))) psi.ArgumentList.Insert(i, arg);
            var clock = Stopwatch.StartNew();
            await using var host = new InstalledHost(Process.Start(psi)!);
            var init = await host.InitializeAsync("arm64-test");
            output.WriteLine($"qemu-aarch64: initialize answered after {clock.ElapsedMilliseconds} ms");
            Assert.Equal("claude-code-mcp", init.GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
            Assert.Equal(version, init.GetProperty("result").GetProperty("serverInfo").GetProperty("version").GetString());
            clock.Restart();
            var result = await host.CallToolAsync("claude_code_execute", new { prompt = "on arm64", working_dir = sandbox.WorkDir });
            output.WriteLine($"qemu-aarch64: claude_code_execute answered after {clock.ElapsedMilliseconds} ms");
            Assert.False(result.GetProperty("isError").GetBoolean(), result.ToString());
            Assert.Equal("on arm64", result.GetProperty("structuredContent").GetProperty("result").GetString());
            await host.CloseInputAsync();
            Assert.True(host.Process.WaitForExit(60_000), "the arm64 host did not exit after its input ended");
            Assert.Equal(0, host.Process.ExitCode);
            host.AssertOnlyJsonRpc();
        }
        finally
        {
            foreach (var pid in RunningFrom(folder)) ProcessAssert.Kill(pid);
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The packages ./build.ps1 -Package writes, packed once for the class into a temp folder of its own and deleted after it.</summary>
    public sealed class ToolPackages : IDisposable
    {
        private readonly Lazy<string> _folder = new(() => Directory.CreateTempSubdirectory("ccm-tool-packages-").FullName);
        private Task<string>? _packed;

        /// <summary>The folder holding every package, packed on the first call.</summary>
        public Task<string> FolderAsync() => _packed ??= PackAsync();

        private async Task<string> PackAsync()
        {
            var packages = Path.Combine(_folder.Value, "packages");
            await RunAsync("dotnet", ["msbuild", TestPaths.Metadata("ServerProjectPath"), "-t:PackToolPackages", $"-p:PackageOutputPath={packages}",
                "-nologo", "-nodeReuse:false"], _folder.Value);
            return packages;
        }

        public void Dispose()
        {
            if (_folder.IsValueCreated) Directory.Delete(_folder.Value, recursive: true);
        }
    }

    /// <summary>A nuget.config with only <paramref name="packages"/>: it clears every other source, so nothing comes from a registry.</summary>
    private static async Task<string> OnlyTheFolderAsync(string folder, string packages)
    {
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
        return config;
    }

    /// <summary>The runtimes a pointer package sends `dotnet tool install` on to, in its order, with the package for each.</summary>
    private static List<(string Rid, string Id)> PointedAt(string nupkg)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        var entry = zip.Entries.Single(e => e.Name == "DotnetToolSettings.xml");
        using var stream = entry.Open();
        var settings = System.Xml.Linq.XDocument.Load(stream);
        return [.. settings.Descendants("RuntimeIdentifierPackage").Select(e => ((string)e.Attribute("RuntimeIdentifier")!, (string)e.Attribute("Id")!))];
    }

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    /// <summary>What a dynamic loader reads of a 64-bit little-endian ELF executable: its machine, interpreter and needed libraries.</summary>
    private sealed record ElfImage(ushort Machine, string? Interpreter, List<string> Needed)
    {
        public static ElfImage Read(string path)
        {
            var b = File.ReadAllBytes(path);
            Assert.True(b.Length > 64 && b[0] == 0x7F && b[1] == (byte)'E' && b[2] == (byte)'L' && b[3] == (byte)'F' && b[4] == 2 && b[5] == 1, $"{path} is not a 64-bit little-endian ELF file");
            ushort U16(ulong at) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(checked((int)at)));
            uint U32(ulong at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(checked((int)at)));
            ulong U64(ulong at) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(checked((int)at)));
            string Text(ulong at) => System.Text.Encoding.ASCII.GetString(b, checked((int)at), Array.IndexOf(b, (byte)0, checked((int)at)) - checked((int)at));

            var segments = Enumerable.Range(0, U16(56)).Select(i => U64(32) + (ulong)i * U16(54))
                .Select(h => (Type: U32(h), Offset: U64(h + 8), Address: U64(h + 16), Size: U64(h + 32))).ToList();
            var interpreter = segments.Where(s => s.Type == 3).Select(s => Text(s.Offset)).SingleOrDefault(); // PT_INTERP
            var dynamic = segments.Single(s => s.Type == 2); // PT_DYNAMIC
            var entries = new List<(ulong Tag, ulong Value)>();
            for (var at = dynamic.Offset; U64(at) != 0; at += 16) entries.Add((U64(at), U64(at + 8))); // up to DT_NULL
            var strtab = entries.Single(e => e.Tag == 5).Value; // DT_STRTAB, an address: its place in the file is its segment's
            var load = segments.Single(s => s.Type == 1 && s.Address <= strtab && strtab < s.Address + s.Size); // PT_LOAD
            var needed = entries.Where(e => e.Tag == 1).Select(e => Text(load.Offset + strtab - load.Address + e.Value)).ToList(); // DT_NEEDED
            return new ElfImage(U16(18), interpreter, needed);
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
