using ClaudeCodeMcp.Module.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Module.Tests.Module;

/// <summary>
/// Removing and re-importing the module leaves the tasks it started alone. Run in a process of its own
/// (real pwsh -Command), where this module is imported once, as in a user's session.
/// </summary>
public sealed class ModuleLifetimeTests
{
    [Fact]
    public async Task Import_Module_Force_and_Remove_Module_leave_running_tasks_running()
    {
        await using var sandbox = new ModuleSandbox(import: false);
        var cue = sandbox.File("go-on");
        var output = await RunPwshAsync(sandbox, $$"""
            Import-Module $env:CCM_MODULE -ErrorAction Stop
            $PSDefaultParameterValues['*-Claude*:StateDirectory'] = $env:CCM_STATE
            $PSDefaultParameterValues['*-Claude*:ClaudePath'] = $env:CCM_FAKE
            Start-ClaudeTask "fake:wait-for {{cue}}`nfake:text survived" -Name survivor | Out-Null
            Import-Module $env:CCM_MODULE -Force -ErrorAction Stop
            "after-reimport=$((Get-ClaudeTask -Name survivor).TaskState)"
            [IO.File]::WriteAllText('{{cue}}', 'go')
            "result=$((Get-ClaudeTask -Name survivor | Wait-ClaudeTask | Receive-ClaudeTask).Result)"
            $sleeper = Start-ClaudeTask 'fake:sleep 30000'
            Remove-Module ClaudeCodeMcp
            "alive=$(-not [Diagnostics.Process]::GetProcessById($sleeper.ProcessId).HasExited)"
            """);

        // The re-import neither waited for the task (it cannot end before its cue) nor stopped it; the removal did not
        // wait for the 30 s sleeper (it would be gone) nor stop it.
        Assert.Contains("after-reimport=Running", output);
        Assert.Contains("result=survived", output);
        Assert.Contains("alive=True", output);
    }

    private static async Task<List<string>> RunPwshAsync(ModuleSandbox sandbox, string script)
    {
        var run = await RealPwsh.RunAsync(script, sandbox.WorkDir, ModuleSandbox.Hang, extraVariables: new Dictionary<string, string>
        {
            ["CCM_MODULE"] = TestPaths.ModuleManifest,
            ["CCM_STATE"] = sandbox.StateDir,
            ["CCM_FAKE"] = TestPaths.FakeClaude,
        });
        Assert.True(run.ExitCode == 0, $"pwsh failed: {run}");
        return run.Stdout.Split('\n').Select(l => l.TrimEnd()).ToList();
    }
}
