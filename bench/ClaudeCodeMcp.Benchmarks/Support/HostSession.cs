using System.Diagnostics;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace ClaudeCodeMcp.Benchmarks.Support;

/// <summary>The standalone host started here (so its pid is known), with the SDK client on its stdio.</summary>
public sealed class HostSession : IAsyncDisposable
{
    private HostSession(Process process, McpClient client)
    {
        Process = process;
        Client = client;
    }

    public Process Process { get; }
    public McpClient Client { get; }
    public int Pid => Process.Id;

    public static async Task<HostSession> StartAsync(BenchEnvironment env, string stateDir, params string[] extra)
    {
        var process = StartProcess(env, stateDir, extra);
        var client = await McpClient.CreateAsync(
            new StreamClientTransport(process.StandardInput.BaseStream, process.StandardOutput.BaseStream),
            new McpClientOptions { ProtocolVersion = "2025-11-25" });
        return new HostSession(process, client);
    }

    /// <summary>The host, started on a state folder with the fake claude; stderr is drained and dropped.</summary>
    public static Process StartProcess(BenchEnvironment env, string stateDir, params string[] extra)
    {
        var psi = new ProcessStartInfo(env.Host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = env.WorkDir,
        };
        foreach (var arg in new[] { "--state-dir", stateDir, "--claude-path", env.FakeClaude }.Concat(extra)) psi.ArgumentList.Add(arg);
        var process = Process.Start(psi)!;
        _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
        return process;
    }

    public Task<CallToolResult> CallAsync(string tool, Dictionary<string, object?> arguments) =>
        Client.CallToolAsync(tool, arguments).AsTask();

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        try
        {
            Process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
        if (!Process.WaitForExit(10_000)) Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }
}
