using System.Diagnostics;

namespace ClaudeCodeMcp.Module.Tests.Support;

/// <summary>
/// The EngineHost test program: a second process with its own engine on the sandbox's state folder, owning
/// tasks this process did not start. Disposing ends it (its children stop with it).
/// </summary>
public sealed class OtherProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ModuleSandbox _sandbox;

    public OtherProcess(ModuleSandbox sandbox)
    {
        _sandbox = sandbox;
        var psi = new ProcessStartInfo(TestPaths.EngineHost)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(sandbox.StateDir);
        psi.ArgumentList.Add(TestPaths.FakeClaude);
        psi.ArgumentList.Add(sandbox.WorkDir);
        _process = Process.Start(psi)!;
    }

    public int Pid => _process.Id;

    /// <summary>Starts a task in the other process; returns its id and child pid.</summary>
    public async Task<(string Id, int ChildPid)> StartTaskAsync(string prompt)
    {
        var file = _sandbox.File(Guid.NewGuid().ToString("N") + ".prompt");
        await File.WriteAllTextAsync(file, prompt);
        var line = await SendAsync($"start {file}");
        while (line == "ready") line = await ReadLineAsync();
        var parts = line.Split(' ');
        Assert.Equal("started", parts[0]);
        return (parts[1], int.Parse(parts[2]));
    }

    /// <summary>Waits in the other process until its task has finished; returns its wire state.</summary>
    public async Task<string> WaitTaskAsync(string id)
    {
        var parts = (await SendAsync($"wait {id}")).Split(' ');
        Assert.Equal("finished", parts[0]);
        return parts[2];
    }

    private async Task<string> SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        return await ReadLineAsync();
    }

    private async Task<string> ReadLineAsync() =>
        await _process.StandardOutput.ReadLineAsync().WaitAsync(ModuleSandbox.Hang)
        ?? throw new InvalidOperationException("EngineHost ended: " + await _process.StandardError.ReadToEndAsync());

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.StandardInput.Close();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }
}
