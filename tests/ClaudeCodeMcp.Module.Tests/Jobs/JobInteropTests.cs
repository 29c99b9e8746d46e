using System.Management.Automation;
using ClaudeCodeMcp.Module.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Module.Tests.Jobs;

/// <summary>Tasks are PowerShell jobs: the built-in job cmdlets work on them.</summary>
public sealed class JobInteropTests
{
    [Fact]
    public async Task Start_ClaudeTask_returns_a_running_job_at_once()
    {
        await using var sandbox = new ModuleSandbox();
        var job = sandbox.Run("Start-ClaudeTask \"fake:sleep 30000\" -Name sleeper").Ok().Single();

        Assert.IsAssignableFrom<Job2>(job.BaseObject);
        Assert.Equal("ClaudeTask", job.Text("PSJobTypeName"));
        Assert.Equal("sleeper", job.Text("Name"));
        Assert.Matches("^[a-z2-9]{8}$", job.Text("TaskId"));
        Assert.Equal(JobState.Running, ((Job)job.BaseObject).JobStateInfo.State);
        Assert.Equal("Running", job.Text("TaskState"));
        Assert.True(ProcessAssert.IsAlive((int)job.Get("ProcessId")!));
    }

    [Fact]
    public async Task Get_Job_finds_tasks_by_name_id_instance_id_and_state()
    {
        await using var sandbox = new ModuleSandbox();
        var job = sandbox.Run("$t = Start-ClaudeTask \"fake:sleep 30000\" -Name 'finder-one'; $t").Ok().Single();
        var id = (int)job.Get("Id")!;

        Assert.Same(job.BaseObject, sandbox.Run("Get-Job -Name 'finder-*'").Ok().Single().BaseObject);
        Assert.Same(job.BaseObject, sandbox.Run("Get-Job -Id $id", new() { ["id"] = id }).Ok().Single().BaseObject);
        Assert.Same(job.BaseObject, sandbox.Run("Get-Job -InstanceId $t.InstanceId").Ok().Single().BaseObject);
        Assert.Same(job.BaseObject, sandbox.Run("Get-Job -State Running").Ok().Single().BaseObject);
        Assert.Empty(sandbox.Run("Get-Job -State Completed").Ok());
    }

    [Fact]
    public async Task Receive_Job_yields_result_objects()
    {
        await using var sandbox = new ModuleSandbox();
        var results = sandbox.Run("Start-ClaudeTask \"fake:cost 0.25`nfake:text all done\" | Wait-Job | Receive-Job").Ok();

        var result = Assert.Single(results);
        Assert.Equal("ClaudeCodeMcp.ClaudeTaskResult", result.TypeNames[0]);
        Assert.Equal("all done", result.Text("Result"));
        Assert.Equal("Completed", result.Text("State"));
        Assert.Equal(0.25, result.Get("CostUsd"));
        Assert.False(string.IsNullOrEmpty(result.Text("SessionId")));
        Assert.Equal(sandbox.WorkDir, result.Text("WorkingDirectory"));
    }

    [Fact]
    public async Task Receive_Job_Wait_AutoRemoveJob_returns_the_result_and_forgets_the_job()
    {
        await using var sandbox = new ModuleSandbox();
        var result = sandbox.Run("$t = Start-ClaudeTask 'fake:sleep 200'; $t | Receive-Job -Wait -AutoRemoveJob").Ok().Single();

        Assert.Equal("done", result.Text("Result"));
        Assert.Empty(sandbox.Run("Get-Job").Ok());
        Assert.Equal("Completed", sandbox.Run("Get-ClaudeTask").Ok().Single().Text("TaskState"));
    }

    [Fact]
    public async Task Receive_Job_Keep_leaves_the_result_for_the_next_receive()
    {
        await using var sandbox = new ModuleSandbox();
        var outputs = sandbox.Run("$t = Start-ClaudeTask 'hi' | Wait-Job; ($t | Receive-Job -Keep).Result; $t.HasMoreData; ($t | Receive-Job).Result; $t.HasMoreData").Ok();

        Assert.Equal(["hi", "True", "hi", "False"], outputs.Select(o => o.ToString()));
    }

    [Fact]
    public async Task Wait_Job_Any_with_Timeout_returns_the_first_finished_task()
    {
        await using var sandbox = new ModuleSandbox();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var finished = sandbox.Run("""
            $slow = Start-ClaudeTask 'fake:sleep 30000' -Name slow
            $fast = Start-ClaudeTask 'fake:sleep 100' -Name fast
            Wait-Job -Job $slow, $fast -Any -Timeout 20
            """).Ok().Single();

        Assert.Equal("fast", finished.Text("Name"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Wait-Job -Any took {clock.Elapsed}");
    }

    [Fact]
    public async Task Stop_Job_stops_the_child_and_the_job_is_Stopped()
    {
        await using var sandbox = new ModuleSandbox();
        var job = sandbox.Run("Start-ClaudeTask 'fake:sleep 30000'").Ok().Single();
        var pid = (int)job.Get("ProcessId")!;

        sandbox.Run("$j | Stop-Job", new() { ["j"] = job }).Ok();

        Assert.Equal(JobState.Stopped, ((Job)job.BaseObject).JobStateInfo.State);
        Assert.Equal("Cancelled", job.Text("TaskState"));
        await ProcessAssert.AssertGoneAsync([pid]);
    }

    [Fact]
    public async Task Remove_Job_Force_stops_a_running_task_and_forgets_the_job_but_not_the_task()
    {
        await using var sandbox = new ModuleSandbox();
        var job = sandbox.Run("Start-ClaudeTask 'fake:sleep 30000'").Ok().Single();
        var pid = (int)job.Get("ProcessId")!;

        sandbox.Run("$j | Remove-Job -Force", new() { ["j"] = job }).Ok();

        await ProcessAssert.AssertGoneAsync([pid]);
        Assert.Empty(sandbox.Run("Get-Job").Ok());
        Assert.Equal("Cancelled", sandbox.Run("Get-ClaudeTask").Ok().Single().Text("TaskState"));
    }

    [Fact]
    public async Task Remove_Job_and_AutoRemoveJob_forget_the_job_in_this_runspace_only()
    {
        await using var sandbox = new ModuleSandbox();
        var ids = sandbox.Run("""
            $a = Start-ClaudeTask 'kept one' | Wait-Job
            $b = Start-ClaudeTask 'kept two'
            $b | Receive-Job -Wait -AutoRemoveJob | Out-Null
            Get-Job | Remove-Job
            $a.TaskId, $b.TaskId
            """).Ok().Select(o => o.ToString()).ToList();

        Assert.Empty(sandbox.Run("Get-Job").Ok());
        Assert.All(ids, id => Assert.True(Directory.Exists(Path.Combine(sandbox.StateDir, "tasks", id)), $"The state of {id} was deleted"));
        Assert.Equal(["kept one", "kept two"], sandbox.Run("Get-ClaudeTask | Receive-ClaudeTask").Ok().Select(r => r.Text("Result")).Order());
    }

    [Fact]
    public async Task Failed_job_says_why_in_its_JobStateInfo_Reason()
    {
        await using var sandbox = new ModuleSandbox();
        var reason = sandbox.Run("(Start-ClaudeTask 'fake:api-error 529 Overloaded' | Wait-Job).JobStateInfo.Reason.Message").Ok().Single().ToString();

        Assert.Contains("529", reason);
        Assert.Contains("Overloaded", reason);
    }

    [Fact]
    public async Task A_job_never_goes_back_from_its_end_state_however_updates_race()
    {
        await using var sandbox = new ModuleSandbox();
        var template = sandbox.Run("Start-ClaudeTask 'fake:sleep 30000'").Ok().Single().BaseObject;

        var running = ModuleInternals.RecordWithState(template, "Running");
        var completed = ModuleInternals.RecordWithState(template, "Completed");

        // Pairs of threads hand the same jobs a running and a completed snapshot at the same moment, more
        // pairs than cores, so that a thread is now and then preempted between deciding and setting a state.
        const int pairs = 3, rounds = 500;
        var jobs = Enumerable.Range(0, pairs).Select(_ => Enumerable.Range(0, rounds).Select(_ => ModuleInternals.NewJob(template, "Queued")).ToArray()).ToArray();
        var threads = new List<Thread>();
        foreach (var batch in jobs)
        {
            var together = new Barrier(2);
            foreach (var record in new[] { running, completed })
            {
                threads.Add(new Thread(() =>
                {
                    foreach (var job in batch)
                    {
                        together.SignalAndWait();
                        ModuleInternals.Apply(job, record);
                    }
                }));
            }
        }
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var wrong = jobs.SelectMany(b => b).Count(j => j.JobStateInfo.State != JobState.Completed || j.Output.Count != 1);
        Assert.True(wrong == 0, $"{wrong} of {pairs * rounds} jobs did not end Completed with one result");
        foreach (var job in jobs.SelectMany(b => b)) job.Dispose();
    }

    [Fact]
    public async Task A_removed_job_ignores_late_updates()
    {
        await using var sandbox = new ModuleSandbox();
        var template = sandbox.Run("Start-ClaudeTask 'fake:sleep 30000'").Ok().Single().BaseObject;
        var job = ModuleInternals.NewJob(template, "Running");
        job.Dispose();

        ModuleInternals.Apply(job, ModuleInternals.RecordWithState(template, "Completed"));

        Assert.Equal(JobState.Running, job.JobStateInfo.State);
    }

    [Fact]
    public async Task Failed_task_is_a_Failed_job_whose_error_says_why()
    {
        await using var sandbox = new ModuleSandbox();
        var result = sandbox.Run("Start-ClaudeTask 'fake:api-error 529 Overloaded' | Wait-Job | Receive-Job");

        var job = sandbox.Run("Get-Job").Ok().Single();
        Assert.Equal(JobState.Failed, ((Job)job.BaseObject).JobStateInfo.State);
        Assert.Equal("Failed", result.Single().Text("State"));
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("JobStateFailed", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
        Assert.Contains("529", error.Exception.Message);
        Assert.Contains("Overloaded", error.Exception.Message);
    }

    [Fact]
    public async Task Timed_out_task_is_a_Failed_job_whose_error_says_it_timed_out()
    {
        await using var sandbox = new ModuleSandbox();
        var result = sandbox.Run("Start-ClaudeTask 'fake:sleep 30000' -Timeout 0.5 | Wait-Job | Receive-Job");

        Assert.Equal("TimedOut", result.Single().Text("State"));
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("JobStateFailed", error.FullyQualifiedErrorId);
        Assert.Contains("timed_out", error.Exception.Message);
    }

    [Fact]
    public async Task Queued_task_is_a_NotStarted_job_until_a_slot_frees_up()
    {
        await using var sandbox = new ModuleSandbox();
        var jobs = sandbox.Run("'fake:sleep 30000', 'second' | Start-ClaudeTask -ThrottleLimit 1").Ok();

        Assert.Equal(JobState.NotStarted, ((Job)jobs[1].BaseObject).JobStateInfo.State);
        Assert.Equal("Queued", jobs[1].Text("TaskState"));

        sandbox.Run("$a | Stop-Job; $b | Wait-Job -Timeout 30", new() { ["a"] = jobs[0], ["b"] = jobs[1] }).Ok();
        Assert.Equal(JobState.Completed, ((Job)jobs[1].BaseObject).JobStateInfo.State);
    }

    [Fact]
    public async Task Start_ClaudeTask_ThrottleLimit_limits_only_its_own_tasks()
    {
        await using var sandbox = new ModuleSandbox();
        var limited = sandbox.Run("'fake:sleep 30000', 'fake:sleep 30000' | Start-ClaudeTask -ThrottleLimit 1").Ok();
        var others = sandbox.Run("1..3 | ForEach-Object { Start-ClaudeTask 'fake:sleep 30000' }").Ok();

        Assert.Equal(["Running", "Queued"], limited.Select(j => j.Text("TaskState")));
        Assert.All(others, j => Assert.Equal("Running", j.Text("TaskState")));
    }
}
