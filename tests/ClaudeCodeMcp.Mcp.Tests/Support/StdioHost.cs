using System.Diagnostics;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Mcp.Tests.Support;

/// <summary>The standalone <c>claude-code-mcp</c> in its own process, driven line by line as a client would.</summary>
public sealed class StdioHost : JsonRpcLineClient
{
    private StdioHost(Process process) : base(process)
    {
    }

    public static string Path => TestPaths.Metadata("ServerHostPath");

    public static ProcessStartInfo StartInfo(Sandbox sandbox, params string[] flags)
    {
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Outside the sandbox: processes inside it are the children, counted by the tests.
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var flag in new[] { "--state-dir", sandbox.StateDir, "--claude-path", TestPaths.FakeClaude }.Concat(flags)) psi.ArgumentList.Add(flag);
        psi.Environment.Clear();
        foreach (var (k, v) in sandbox.Environment) psi.Environment[k] = v;
        return psi;
    }

    public static async Task<StdioHost> StartAsync(Sandbox sandbox, params string[] flags)
    {
        var host = new StdioHost(Process.Start(StartInfo(sandbox, flags))!);
        var init = await host.InitializeAsync("raw-test");
        Assert.Equal("claude-code-mcp", init.GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
        return host;
    }
}
