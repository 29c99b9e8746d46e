using System.Diagnostics;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Mcp.Tests;

/// <summary>
/// The host a Release build leaves (out/claude-code-mcp/claude-code-mcp) is Native AOT: one file that needs no .NET
/// runtime and no assemblies beside it, whose errors still read as words. Every other host test drives the same file.
/// </summary>
public sealed class NativeHostTests
{
    private const string DebugIsJit = "A Debug build of the host is framework-dependent (SURFACE.md): the native host is the Release build.";

#if RELEASE
    [Fact]
#else
    [Fact(Skip = DebugIsJit)]
#endif
    public async Task The_release_host_is_one_file_that_serves_and_runs_a_task_from_any_folder()
    {
        await using var sandbox = new Sandbox();
        var folder = Directory.CreateTempSubdirectory("ccm-native-host-").FullName;
        try
        {
            // Alone in a folder of its own: a framework-dependent apphost would find no claude-code-mcp.dll here.
            var copy = Path.Combine(folder, "claude-code-mcp");
            File.Copy(StdioHost.Path, copy);
            File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var psi = StdioHost.StartInfo(sandbox);
            psi.FileName = copy;
            await using var host = new CopiedHost(Process.Start(psi)!);
            var init = await host.InitializeAsync("native-test");
            Assert.Equal("claude-code-mcp", init.GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());

            var result = await host.CallToolAsync("claude_code_execute", new { prompt = "from a native host", working_dir = sandbox.WorkDir });

            Assert.False(result.GetProperty("isError").GetBoolean(), result.ToString());
            Assert.Equal("from a native host", result.GetProperty("structuredContent").GetProperty("result").GetString());
            Assert.Single(Directory.GetFiles(folder));
            // Having run a task, it still needs nothing but libc: no OpenSSL (a task id's randomness is the kernel's).
            var libraries = File.ReadAllLines($"/proc/{host.Process.Id}/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f.Length >= 6 && f[5].StartsWith('/')).Select(f => Path.GetFileName(f[5])).Distinct().ToList();
            Assert.DoesNotContain(libraries, l => l.StartsWith("libcrypto", StringComparison.Ordinal) || l.StartsWith("libssl", StringComparison.Ordinal));
            await host.CloseInputAsync();
            Assert.True(host.Process.WaitForExit(60_000), "the host did not exit after its input ended");
            Assert.Equal(0, host.Process.ExitCode);
            host.AssertOnlyJsonRpc();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

#if RELEASE
    [Fact]
#else
    [Fact(Skip = DebugIsJit)]
#endif
    public async Task The_release_host_says_in_words_why_a_path_cannot_be_used()
    {
        await using var sandbox = new Sandbox();
        var aFile = sandbox.File("a-file");
        await File.WriteAllTextAsync(aFile, "not a folder");
        var psi = StdioHost.StartInfo(sandbox);
        psi.ArgumentList[psi.ArgumentList.IndexOf(sandbox.StateDir)] = Path.Combine(aFile, "state");
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stderr = await process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.WaitForExit(60_000), "the host did not exit");

        Assert.Equal(1, process.ExitCode);
        // .NET's own text, kept in the native build (UseSystemResourceKeys=false), not a key like IO_PathNotFound_Path.
        Assert.Contains("Could not find a part of the path", stderr);
        Assert.DoesNotContain("IO_", stderr);
    }

    private sealed class CopiedHost(Process process) : JsonRpcLineClient(process);
}
