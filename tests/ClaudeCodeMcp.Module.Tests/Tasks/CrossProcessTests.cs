using System.Management.Automation;
using ClaudeCodeMcp.Module.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Module.Tests.Tasks;

/// <summary>Tasks of another process that shares the state folder, and of another runspace.</summary>
public sealed class CrossProcessTests
{
    [Fact]
    public async Task Get_ClaudeTask_shows_another_process_task_and_its_job_follows_it_to_the_end()
    {
        await using var sandbox = new ModuleSandbox();
        await using var other = new OtherProcess(sandbox);
        var (id, _) = await other.StartTaskAsync("fake:sleep 1000\nfake:text from afar");

        var task = sandbox.Run("Get-ClaudeTask -TaskId $id", new() { ["id"] = id }).Ok().Single();
        Assert.Equal("Running", task.Text("TaskState"));
        Assert.Equal(JobState.Running, ((Job)task.BaseObject).JobStateInfo.State);
        Assert.Equal(other.Pid, task.Get("OwnerProcessId"));
        Assert.Equal($"pid {other.Pid}", task.Text("Location"));

        var result = sandbox.Run("$t | Wait-Job -Timeout 30 | Receive-Job", new() { ["t"] = task }).Ok().Single();
        Assert.Equal("from afar", result.Text("Result"));
        Assert.Equal(JobState.Completed, ((Job)task.BaseObject).JobStateInfo.State);
    }

    [Fact]
    public async Task A_finished_task_of_another_process_is_a_finished_job_as_soon_as_it_is_seen()
    {
        await using var sandbox = new ModuleSandbox();
        await using var other = new OtherProcess(sandbox);
        var (done, _) = await other.StartTaskAsync("fake:text done elsewhere");
        var (failed, _) = await other.StartTaskAsync("fake:api-error 500 broke elsewhere");
        Assert.Equal("completed", await other.WaitTaskAsync(done));
        Assert.Equal("failed", await other.WaitTaskAsync(failed));

        var jobs = sandbox.Run("Get-ClaudeTask -TaskId $a, $b", new() { ["a"] = done, ["b"] = failed }).Ok();

        Assert.Equal(JobState.Completed, ((Job)jobs[0].BaseObject).JobStateInfo.State);
        Assert.Equal(JobState.Failed, ((Job)jobs[1].BaseObject).JobStateInfo.State);
        var received = sandbox.Run("$j | Receive-Job -Wait", new() { ["j"] = jobs[0] }).Ok().Single();
        Assert.Equal("done elsewhere", received.Text("Result"));
        Assert.Same(jobs[1].BaseObject, sandbox.Run("$j | Wait-Job -Timeout 5", new() { ["j"] = jobs[1] }).Ok().Single().BaseObject);
    }

    [Fact]
    public async Task Wait_and_Receive_ClaudeTask_work_on_another_process_task_by_id()
    {
        await using var sandbox = new ModuleSandbox();
        await using var other = new OtherProcess(sandbox);
        var (id, _) = await other.StartTaskAsync("fake:sleep 500\nfake:text waited for");

        var result = sandbox.Run("Wait-ClaudeTask -TaskId $id | Receive-ClaudeTask", new() { ["id"] = id }).Ok().Single();

        Assert.Equal("waited for", result.Text("Result"));
    }

    [Fact]
    public async Task Stop_ClaudeTask_stops_another_process_task_and_its_child()
    {
        await using var sandbox = new ModuleSandbox();
        await using var other = new OtherProcess(sandbox);
        var (id, childPid) = await other.StartTaskAsync("fake:sleep 30000");

        var stopped = sandbox.Run("Stop-ClaudeTask -TaskId $id -PassThru", new() { ["id"] = id }).Ok().Single();

        Assert.Equal("Cancelled", stopped.Text("TaskState"));
        await ProcessAssert.AssertGoneAsync([childPid]);
    }

    [Fact]
    public async Task A_task_started_in_one_runspace_can_be_waited_for_and_stopped_from_another()
    {
        await using var first = new ModuleSandbox();
        var started = first.Run("Start-ClaudeTask 'fake:sleep 30000' -Name shared").Ok().Single();
        var pid = (int)started.Get("ProcessId")!;

        using var second = RunspaceOn(first);
        var seen = Run(second, "Get-ClaudeTask -Name shared | Stop-ClaudeTask -PassThru");

        Assert.Equal("Cancelled", seen.Text("TaskState"));
        Assert.NotSame(started.BaseObject, seen.BaseObject);
        await ProcessAssert.AssertGoneAsync([pid]);
        // The first runspace's job hears of the stop from an engine event, on an engine thread.
        first.Run("$j | Wait-Job -Timeout 10 | Out-Null", new() { ["j"] = started }).Ok();
        Assert.Equal(JobState.Stopped, ((Job)started.BaseObject).JobStateInfo.State);
    }

    private static System.Management.Automation.Runspaces.Runspace RunspaceOn(ModuleSandbox sandbox)
    {
        var runspace = System.Management.Automation.Runspaces.RunspaceFactory.CreateRunspace(
            System.Management.Automation.Runspaces.InitialSessionState.CreateDefault2());
        runspace.Open();
        Run(runspace, $"Import-Module '{TestPaths.ModuleManifest}'; $PSDefaultParameterValues['*-Claude*:StateDirectory'] = '{sandbox.StateDir}'");
        return runspace;
    }

    private static PSObject Run(System.Management.Automation.Runspaces.Runspace runspace, string script)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        var output = ps.AddScript(script).Invoke();
        Assert.Empty(ps.Streams.Error);
        return output.LastOrDefault()!;
    }
}
