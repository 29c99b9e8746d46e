using System.Diagnostics;
using ClaudeCodeMcp.Module.Tests.Support;

namespace ClaudeCodeMcp.Module.Tests.Module;

/// <summary>
/// Removing and re-importing the module leaves the tasks it started alone. Run in a process of its own
/// (PwshHost, as pwsh -Command), where this module is imported once, as in a user's session.
/// </summary>
public sealed class ModuleLifetimeTests
{
    [Fact]
    public async Task Import_Module_Force_and_Remove_Module_leave_running_tasks_running()
    {
        await using var sandbox = new ModuleSandbox(import: false);
        var output = await RunPwshAsync(sandbox, """
            Import-Module $env:CCM_MODULE -ErrorAction Stop
            $PSDefaultParameterValues['*-Claude*:StateDirectory'] = $env:CCM_STATE
            $PSDefaultParameterValues['*-Claude*:ClaudePath'] = $env:CCM_FAKE
            Start-ClaudeTask "fake:sleep 1500`nfake:text survived" -Name survivor | Out-Null
            $clock = [Diagnostics.Stopwatch]::StartNew()
            Import-Module $env:CCM_MODULE -Force -ErrorAction Stop
            "reimport-ms=$($clock.ElapsedMilliseconds)"
            "result=$((Get-ClaudeTask -Name survivor | Wait-ClaudeTask | Receive-ClaudeTask).Result)"
            $sleeper = Start-ClaudeTask 'fake:sleep 30000'
            $clock.Restart()
            Remove-Module ClaudeCodeMcp
            "remove-ms=$($clock.ElapsedMilliseconds)"
            "alive=$(-not [Diagnostics.Process]::GetProcessById($sleeper.ProcessId).HasExited)"
            """);

        Assert.Contains("result=survived", output);
        Assert.Contains("alive=True", output);
        Assert.True(Milliseconds(output, "reimport-ms") < 1000, string.Join("\n", output));
        Assert.True(Milliseconds(output, "remove-ms") < 1000, string.Join("\n", output));
    }

    private static int Milliseconds(List<string> output, string key) =>
        int.Parse(output.Single(l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..]);

    private static async Task<List<string>> RunPwshAsync(ModuleSandbox sandbox, string script)
    {
        var psi = new ProcessStartInfo(TestPaths.PwshHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = sandbox.WorkDir,
        };
        psi.ArgumentList.Add("-Command");
        psi.ArgumentList.Add(script);
        psi.Environment["CCM_MODULE"] = TestPaths.ModuleManifest;
        psi.Environment["CCM_STATE"] = sandbox.StateDir;
        psi.Environment["CCM_FAKE"] = TestPaths.FakeClaude;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(ModuleSandbox.Hang);
        Assert.True(process.ExitCode == 0, $"PwshHost failed ({process.ExitCode}): {await stderr}\n{await stdout}");
        return (await stdout).Split('\n').Select(l => l.TrimEnd()).ToList();
    }
}
