using System.Globalization;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace ClaudeCodeMcp.EndToEnd.Tests;

/// <summary>
/// The PowerShell module (out/ClaudeCodeMcp) as a user runs it, in real pwsh 7.6.9
/// (<c>pwsh -NoProfile -NonInteractive -Command</c>), its children the real <c>claude</c> against the fake Messages API.
/// </summary>
public sealed class ModuleEndToEndTests(ITestOutputHelper output) : IClassFixture<SuiteDiagnostics>
{
    [SkippableFact]
    public async Task A_child_started_by_Start_ClaudeTask_writes_a_file_and_Receive_ClaudeTask_returns_its_final_text_session_and_cost()
    {
        Pwsh.SkipUnlessBuilt();
        await using var rig = await EndToEndRig.StartAsync();
        var target = Path.Combine(rig.WorkDir, "from-pwsh.txt");
        rig.Api.OnConversation("E2E-PS-WRITE", ApiReply.ToolThenText(
            "Write",
            new { file_path = target, content = "written from PowerShell\n" },
            "Wrote from-pwsh.txt. E2E-PS-FINAL"));
        // PowerShell itself runs in the sandbox's HOME, but without the fake API's variables: the child gets those only
        // through -Environment, so a child that reaches the fake API proves -Environment reached it.
        var (hostEnvironment, apiEnvironment) = rig.SplitApiEnvironment();
        Assert.DoesNotContain("ANTHROPIC_BASE_URL", hostEnvironment.Keys);
        var environment = string.Join("; ", apiEnvironment.Select(kv => $"{Pwsh.Quote(kv.Key)} = {Pwsh.Quote(kv.Value)}"));
        var script = $$"""
            Import-Module {{Pwsh.Quote(Pwsh.ModuleManifest)}}
            $task = Start-ClaudeTask 'E2E-PS-WRITE: write from-pwsh.txt' -WorkingDirectory {{Pwsh.Quote(rig.WorkDir)}} -ClaudePath {{Pwsh.Quote(RealClaude.Executable)}} -SkipPermissions -MaxTurns 4 -Timeout 60 -Environment @{ {{environment}} } -StateDirectory {{Pwsh.Quote(rig.Sandbox.StateDir)}}
            "E2E-STARTED|$($task.TaskId)|$($task.TaskState)"
            $r = $task | Wait-ClaudeTask -Timeout 60 | Receive-ClaudeTask
            "E2E-RESULT|$($r.State)|$($r.Result)|$($r.SessionId)|$($r.CostUsd)|$($r.NumTurns)|$($r.PermissionDenials.Count)|$($r.TaskId)|$($r.WorkingDirectory)"
            """;

        var run = await Pwsh.RunAsync(script, rig.HostDir, hostEnvironment, EndToEndRig.Hang + EndToEndRig.Hang);
        output.WriteLine(run.ToString());
        foreach (var line in rig.Api.Requests) output.WriteLine("API: " + line);

        Assert.True(run.ExitCode == 0 && run.Stderr.Trim().Length == 0, run.ToString());
        var started = Assert.Single(run.LinesAfter("E2E-STARTED|")).Split('|');
        var fields = Assert.Single(run.LinesAfter("E2E-RESULT|")).Split('|');
        Assert.Equal(8, fields.Length);
        Assert.Equal("Completed", fields[0]);
        Assert.Equal("Wrote from-pwsh.txt. E2E-PS-FINAL", fields[1]);
        Assert.True(Guid.TryParse(fields[2], out _), $"session id '{fields[2]}'");
        Assert.True(double.TryParse(fields[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var cost) && cost > 0, $"cost '{fields[3]}'");
        Assert.Equal("2", fields[4]);
        Assert.Equal("0", fields[5]);
        Assert.Equal(started[0], fields[6]);
        Assert.Equal(rig.WorkDir, fields[7]);
        Assert.Equal("written from PowerShell\n", File.ReadAllText(target));

        // The real Write tool ran (its result was no error), in the session the result names.
        var requests = rig.Api.RequestsOf("E2E-PS-WRITE");
        Assert.Equal(2, requests.Count);
        var written = Assert.Single(requests[1].LastToolResults);
        Assert.False(written.IsError, written.Text);
        Assert.All(requests, r => Assert.Equal(fields[2], r.SessionHeader));
        // The record in the sandbox's store says the same.
        var record = Assert.Single(new Engine.Store.TaskStore(rig.Sandbox.StateDir).List());
        output.WriteLine(EngineEndToEndTests.Describe(record));
        Assert.Equal(ClaudeTaskState.Completed, record.State);
        Assert.Equal(started[0], record.Id);
        Assert.Equal(fields[2], record.SessionId);
        Assert.Equal(0, record.ExitCode);
        // pwsh ended; its child and anything else it started are gone.
        await rig.AssertNothingLeftAsync();
    }
}
