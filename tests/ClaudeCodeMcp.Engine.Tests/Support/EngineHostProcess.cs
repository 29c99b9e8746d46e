using System.Diagnostics;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Engine.Tests.Support;

/// <summary>Drives the EngineHost test program: a second process with its own task manager.</summary>
public sealed class EngineHostProcess
{
    private EngineHostProcess(Process process) => Process = process;

    public Process Process { get; }

    public static EngineHostProcess Start(string stateDir, string claude, string workDir, IReadOnlyDictionary<string, string> environment, int throttle = 4)
    {
        var psi = new ProcessStartInfo(TestPaths.EngineHost)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(stateDir);
        psi.ArgumentList.Add(claude);
        psi.ArgumentList.Add(workDir);
        psi.ArgumentList.Add(throttle.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.Environment.Clear();
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        var host = new EngineHostProcess(Process.Start(psi)!);
        return host;
    }

    public async Task<string> ReadLineAsync()
    {
        var line = await Process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return line ?? throw new InvalidOperationException("EngineHost ended: " + await Process.StandardError.ReadToEndAsync());
    }

    public async Task<string> SendAsync(string command)
    {
        await Process.StandardInput.WriteLineAsync(command);
        await Process.StandardInput.FlushAsync();
        return await ReadLineAsync();
    }

    /// <summary>
    /// Kills the host with SIGKILL: no cleanup at all. With <paramref name="watchdogToo"/>, its watchdog first, as when
    /// every process of ours is killed at once (<c>pkill -9 -f claude-code-mcp</c>): only the next reader of the store
    /// is left to stop the children.
    /// </summary>
    public async Task KillAsync(bool watchdogToo = false)
    {
        if (watchdogToo)
        {
            var watchdog = await Eventually.ThatAsync(() => ProcessAssert.WatchdogOf(Process.Id), pid => pid is not null, "the host's watchdog");
            ProcessAssert.Kill(watchdog!.Value);
            await ProcessAssert.AssertGoneAsync([watchdog.Value]);
        }
        Process.Kill();
        await Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Starts a task in the host; returns its id and child pid.</summary>
    public async Task<(string Id, int ChildPid)> StartTaskAsync(string promptFile)
    {
        var parts = (await SendAsync($"start {promptFile}")).Split(' ');
        Assert.Equal("started", parts[0]);
        return (parts[1], int.Parse(parts[2]));
    }
}
