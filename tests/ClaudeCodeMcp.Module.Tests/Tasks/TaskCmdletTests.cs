using System.Management.Automation;
using ClaudeCodeMcp.Module.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Module.Tests.Tasks;

/// <summary>Get, Wait, Receive, Stop and Remove-ClaudeTask on this runspace's tasks.</summary>
public sealed class TaskCmdletTests
{
    [Fact]
    public async Task Get_ClaudeTask_lists_newest_first_and_filters_by_id_name_and_state()
    {
        await using var sandbox = new ModuleSandbox();
        var started = sandbox.Run("""
            Start-ClaudeTask 'one' -Name alpha | Wait-Job | Out-Null
            Start-ClaudeTask 'fake:sleep 30000' -Name beta
            """).Ok().Single();
        var id = started.Text("TaskId");

        Assert.Equal(["beta", "alpha"], sandbox.Run("(Get-ClaudeTask).Name").Ok().Select(o => o.ToString()));
        Assert.Same(started.BaseObject, sandbox.Run("Get-ClaudeTask -TaskId $id", new() { ["id"] = id }).Ok().Single().BaseObject);
        Assert.Equal("alpha", sandbox.Run("(Get-ClaudeTask -Name 'al*').Name").Ok().Single().ToString());
        Assert.Equal("beta", sandbox.Run("(Get-ClaudeTask -State Running).Name").Ok().Single().ToString());
        Assert.Equal("alpha", sandbox.Run("(Get-ClaudeTask -State Completed, Failed).Name").Ok().Single().ToString());
    }

    [Fact]
    public async Task Get_ClaudeTask_State_takes_the_wire_names_too()
    {
        await using var sandbox = new ModuleSandbox();
        sandbox.Run("""
            Start-ClaudeTask 'fake:sleep 30000' -Timeout 0.3 -Name late | Wait-Job | Out-Null
            Start-ClaudeTask 'fine' -Name fine | Wait-Job | Out-Null
            """).Ok();

        Assert.Equal("late", sandbox.Run("(Get-ClaudeTask -State timed_out).Name").Ok().Single().ToString());
        Assert.Equal(["fine", "late"], sandbox.Run("(Get-ClaudeTask -State 'completed', 'TIMED_OUT').Name").Ok().Select(o => o.ToString()).Order());
        Assert.Equal("late", sandbox.Run("(Get-ClaudeTask -State TimedOut).Name").Ok().Single().ToString());
        var refused = sandbox.Run("Get-ClaudeTask -State sleeping");
        var error = Assert.Single(refused.Errors);
        Assert.Contains("'sleeping' is not a task state", error.Exception.Message);
        Assert.Contains("timed_out", error.Exception.Message);
    }

    [Fact]
    public async Task Get_ClaudeTask_reports_unknown_ids_and_names_as_ObjectNotFound()
    {
        await using var sandbox = new ModuleSandbox();
        var result = sandbox.Run("Get-ClaudeTask -TaskId abcdefgh; Get-ClaudeTask -Name nothing; Get-ClaudeTask -TaskId 'not an id'");

        Assert.Empty(result.Output);
        Assert.Collection(result.Errors,
            e =>
            {
                Assert.Equal("TaskNotFound,ClaudeCodeMcp.Commands.GetClaudeTaskCommand", e.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category);
                Assert.Contains("Get-ClaudeTask", e.Exception.Message);
            },
            e => Assert.Equal("TaskNotFound,ClaudeCodeMcp.Commands.GetClaudeTaskCommand", e.FullyQualifiedErrorId),
            e =>
            {
                Assert.Equal("InvalidTaskId,ClaudeCodeMcp.Commands.GetClaudeTaskCommand", e.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
            });
    }

    [Fact]
    public async Task Wait_ClaudeTask_returns_the_tasks_when_all_have_finished()
    {
        await using var sandbox = new ModuleSandbox();
        var tasks = sandbox.Run("'fake:sleep 300', 'fake:sleep 100' | Start-ClaudeTask | Wait-ClaudeTask").Ok();

        Assert.Equal(2, tasks.Count);
        Assert.All(tasks, t => Assert.Equal("Completed", t.Text("TaskState")));
    }

    [Fact]
    public async Task Wait_ClaudeTask_Any_returns_when_one_has_finished()
    {
        await using var sandbox = new ModuleSandbox();
        var tasks = sandbox.Run("""
            $slow = Start-ClaudeTask 'fake:sleep 30000' -Name slow
            $fast = Start-ClaudeTask 'fake:sleep 100' -Name fast
            $slow, $fast | Wait-ClaudeTask -Any
            """).Ok();

        Assert.Equal("fast", Assert.Single(tasks).Text("Name"));
    }

    [Fact]
    public async Task Wait_ClaudeTask_Timeout_returns_only_finished_tasks()
    {
        await using var sandbox = new ModuleSandbox();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var tasks = sandbox.Run("Start-ClaudeTask 'fake:sleep 30000' | Wait-ClaudeTask -Timeout 1").Ok();

        Assert.Empty(tasks);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Wait_ClaudeTask_takes_ids()
    {
        await using var sandbox = new ModuleSandbox();
        var id = sandbox.Run("(Start-ClaudeTask 'fake:sleep 100').TaskId").Ok().Single().ToString();
        var task = sandbox.Run("Wait-ClaudeTask -TaskId $id", new() { ["id"] = id }).Ok().Single();

        Assert.Equal(id, task.Text("TaskId"));
        Assert.Equal("Completed", task.Text("TaskState"));
    }

    [Fact]
    public async Task Receive_ClaudeTask_returns_the_result_every_time_it_is_asked()
    {
        await using var sandbox = new ModuleSandbox();
        var results = sandbox.Run("$t = Start-ClaudeTask 'answer' | Wait-ClaudeTask; $t | Receive-ClaudeTask; Receive-ClaudeTask -TaskId $t.TaskId").Ok();

        Assert.Equal(["answer", "answer"], results.Select(r => r.Text("Result")));
        Assert.All(results, r => Assert.Equal("ClaudeCodeMcp.ClaudeTaskResult", r.TypeNames[0]));
    }

    [Fact]
    public async Task Receive_ClaudeTask_of_an_unfinished_task_says_to_wait_and_Wait_waits()
    {
        await using var sandbox = new ModuleSandbox();
        var result = sandbox.Run("$t = Start-ClaudeTask \"fake:sleep 500`nfake:text later\"; $t | Receive-ClaudeTask; $t | Receive-ClaudeTask -Wait");

        var error = Assert.Single(result.Errors);
        Assert.Equal("TaskNotFinished,ClaudeCodeMcp.Commands.ReceiveClaudeTaskCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceBusy, error.CategoryInfo.Category);
        Assert.Contains("Wait-ClaudeTask", error.Exception.Message);
        Assert.Equal("later", result.Single().Text("Result"));
    }

    [Fact]
    public async Task Receive_ClaudeTask_Transcript_and_Stream_show_what_the_child_did()
    {
        await using var sandbox = new ModuleSandbox();
        var transcript = sandbox.Run("Start-ClaudeTask \"fake:text thinking about it`nfake:tool Bash {`\"command`\":`\"ls`\"}`nfake:text finished\" | Wait-ClaudeTask | Receive-ClaudeTask -Transcript").Ok().Single().ToString();
        var events = sandbox.Run("Get-ClaudeTask | Receive-ClaudeTask -Stream").Ok();

        Assert.Contains("thinking about it", transcript);
        Assert.Contains("Bash", transcript);
        Assert.Contains("finished", transcript);
        Assert.Equal("InitEvent", events[0].BaseObject.GetType().Name);
        Assert.Equal("ResultEvent", events[^1].BaseObject.GetType().Name);
        Assert.Contains(events, e => e.BaseObject.GetType().Name == "AssistantEvent");
    }

    [Fact]
    public async Task Stop_ClaudeTask_stops_the_child_and_PassThru_returns_the_cancelled_task()
    {
        await using var sandbox = new ModuleSandbox();
        var job = sandbox.Run("Start-ClaudeTask 'fake:sleep 30000'").Ok().Single();
        var pid = (int)job.Get("ProcessId")!;

        var stopped = sandbox.Run("$j | Stop-ClaudeTask -PassThru", new() { ["j"] = job }).Ok().Single();

        Assert.Same(job.BaseObject, stopped.BaseObject);
        Assert.Equal("Cancelled", stopped.Text("TaskState"));
        Assert.Equal(JobState.Stopped, ((Job)job.BaseObject).JobStateInfo.State);
        await ProcessAssert.AssertGoneAsync([pid]);
    }

    [Fact]
    public async Task Stop_ClaudeTask_supports_WhatIf()
    {
        await using var sandbox = new ModuleSandbox();
        var job = sandbox.Run("Start-ClaudeTask 'fake:sleep 30000'").Ok().Single();

        sandbox.Run("$j | Stop-ClaudeTask -WhatIf; Get-ClaudeTask | Remove-ClaudeTask -Force -WhatIf", new() { ["j"] = job }).Ok();

        Assert.Equal("Running", job.Text("TaskState"));
        Assert.True(ProcessAssert.IsAlive((int)job.Get("ProcessId")!));
        Assert.Single(sandbox.Run("Get-ClaudeTask").Ok());
    }

    [Fact]
    public async Task Running_tasks_pipe_from_Get_ClaudeTask_into_Stop_ClaudeTask()
    {
        await using var sandbox = new ModuleSandbox();
        var jobs = sandbox.Run("'fake:sleep 30000', 'fake:sleep 30000' | Start-ClaudeTask; Start-ClaudeTask 'quick' | Wait-Job | Out-Null").Ok();
        var pids = jobs.Select(j => (int)j.Get("ProcessId")!).ToList();

        sandbox.Run("Get-ClaudeTask -State Running | Stop-ClaudeTask").Ok();

        await ProcessAssert.AssertGoneAsync(pids);
        Assert.Equal(["Cancelled", "Cancelled", "Completed"],
            sandbox.Run("(Get-ClaudeTask).TaskState").Ok().Select(s => s.ToString()).Order());
    }

    [Fact]
    public async Task Remove_ClaudeTask_refuses_a_running_task_unless_Force()
    {
        await using var sandbox = new ModuleSandbox();
        var job = sandbox.Run("Start-ClaudeTask 'fake:sleep 30000'").Ok().Single();
        var pid = (int)job.Get("ProcessId")!;

        var refused = sandbox.Run("$j | Remove-ClaudeTask", new() { ["j"] = job });
        var error = Assert.Single(refused.Errors);
        Assert.Equal("TaskStillRunning,ClaudeCodeMcp.Commands.RemoveClaudeTaskCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceBusy, error.CategoryInfo.Category);
        Assert.Contains("-Force", error.ToString()); // what PowerShell prints

        sandbox.Run("$j | Remove-ClaudeTask -Force", new() { ["j"] = job }).Ok();
        await ProcessAssert.AssertGoneAsync([pid]);
        Assert.Empty(sandbox.Run("Get-ClaudeTask").Ok());
        Assert.Empty(sandbox.Run("Get-Job").Ok());
        Assert.False(Directory.Exists(Path.Combine(sandbox.StateDir, "tasks", job.Text("TaskId")!)));
    }
}
