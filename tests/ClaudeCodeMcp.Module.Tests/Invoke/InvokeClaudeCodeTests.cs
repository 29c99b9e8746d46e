using System.Management.Automation;
using ClaudeCodeMcp.Module.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Module.Tests.Invoke;

public sealed class InvokeClaudeCodeTests
{
    [Fact]
    public async Task Invoke_ClaudeCode_blocks_and_returns_the_result()
    {
        await using var sandbox = new ModuleSandbox();
        var result = sandbox.Run("Invoke-ClaudeCode 'what is 2+2'").Ok().Single();

        Assert.Equal("ClaudeCodeMcp.ClaudeTaskResult", result.TypeNames[0]);
        Assert.Equal("what is 2+2", result.Text("Result"));
        Assert.Equal("what is 2+2", result.ToString());
    }

    [Fact]
    public async Task Piped_prompts_run_in_parallel_and_results_stream_out_as_each_finishes()
    {
        await using var sandbox = new ModuleSandbox();
        var results = sandbox.Run("""
            "fake:sleep 1500`nfake:text slow", "fake:sleep 100`nfake:text fast", "fake:sleep 700`nfake:text middle" |
                Invoke-ClaudeCode -ThrottleLimit 4
            """).Ok();

        Assert.Equal(["fast", "middle", "slow"], results.Select(r => r.Text("Result")).Order());
        // Streamed as each finished (not in the order given), and in parallel: the prompts after the slow one started
        // before it ended. (By the records' times, not the clock: on a busy machine the children start late.)
        var ended = results.Select(r => (DateTime)r.Get("EndedAt")!).ToList();
        Assert.Equal(ended.Order(), ended);
        var slowEnded = (DateTime)results.Single(r => r.Text("Result") == "slow").Get("EndedAt")!;
        Assert.All(results, r => Assert.True((DateTime)r.Get("StartedAt")! < slowEnded, $"{r.Text("Result")} started after the slow prompt ended"));
    }

    [Fact]
    public async Task ThrottleLimit_bounds_this_call_fan_out()
    {
        await using var sandbox = new ModuleSandbox();
        var prompts = Enumerable.Range(0, 4).Select(i => $"fake:report {sandbox.File($"report{i}.json")}\nfake:sleep 400").ToArray();

        var results = sandbox.Run("$p | Invoke-ClaudeCode -ThrottleLimit 1 | ForEach-Object { $_.EndedAt, $_.StartedAt }", new() { ["p"] = prompts }).Ok();

        // With one at a time, each task starts after the one before it ended.
        var times = results.Select(r => (DateTime)r.BaseObject).ToList();
        for (var i = 2; i < times.Count; i += 2) Assert.True(times[i + 1] >= times[i - 2], "Two tasks of a -ThrottleLimit 1 call overlapped");
        Assert.Equal(8, times.Count);
    }

    [Fact]
    public async Task ThrottleLimit_above_the_process_limit_runs_that_many_and_leaves_the_process_limit_alone()
    {
        await using var sandbox = new ModuleSandbox();
        var prompts = Enumerable.Range(0, 6).Select(i => $"fake:sleep 1500\nfake:text {i}").ToArray();

        var results = sandbox.Run("$p | Invoke-ClaudeCode -ThrottleLimit 6 -WarningVariable w; $w", new() { ["p"] = prompts }).Ok();

        // All six ran at once: each started before any ended (the process's own limit is 4).
        Assert.Equal(6, results.Count);
        var lastStart = results.Max(r => (DateTime)r.Get("StartedAt")!);
        var firstEnd = results.Min(r => (DateTime)r.Get("EndedAt")!);
        Assert.True(lastStart < firstEnd, $"Not all six ran at once: the last started at {lastStart:O}, the first ended at {firstEnd:O}");
        var queued = sandbox.Run("1..5 | ForEach-Object { Start-ClaudeTask 'fake:sleep 30000' } | Where-Object TaskState -eq Queued").Ok();
        Assert.Single(queued);
    }

    [Fact]
    public async Task Several_prompts_in_one_argument_run_as_one_task_each()
    {
        await using var sandbox = new ModuleSandbox();

        var results = sandbox.Run("Invoke-ClaudeCode 'first', 'second'").Ok();
        var tasks = sandbox.Run("Start-ClaudeTask 'third', 'fourth' | Wait-ClaudeTask | Receive-ClaudeTask").Ok();

        Assert.Equal(["first", "second"], results.Select(r => r.Text("Result")).Order());
        Assert.Equal(["fourth", "third"], tasks.Select(r => r.Text("Result")).Order());
        Assert.Equal(4, sandbox.Run("Get-ClaudeTask").Ok().Count);
    }

    [Fact]
    public async Task An_error_downstream_stops_the_children_Invoke_ClaudeCode_started()
    {
        await using var sandbox = new ModuleSandbox();

        var thrown = Assert.Throws<RuntimeException>(() => sandbox.Run("'quick', 'fake:sleep 8000', 'fake:sleep 8000' | Invoke-ClaudeCode | ForEach-Object { throw 'x' }"));

        Assert.Equal("x", thrown.Message);
        await ProcessAssert.AssertNoneLeftInAsync(sandbox.WorkDir);
        Assert.Equal(["Cancelled", "Cancelled", "Completed"], sandbox.Run("(Get-ClaudeTask).TaskState").Ok().Select(s => s.ToString()).Order());
        await ModuleInternals.AssertNoFollowersLeftAsync(sandbox.StateDir);
    }

    [Fact]
    public async Task Failed_prompt_writes_its_result_and_an_error_and_the_rest_go_on()
    {
        await using var sandbox = new ModuleSandbox();
        var result = sandbox.Run("'fake:api-error 500 boom', 'fine' | Invoke-ClaudeCode");

        Assert.Equal(["Completed", "Failed"], result.Output.Select(r => r.Text("State")).Order());
        var error = Assert.Single(result.Errors);
        Assert.Equal("TaskFailed,ClaudeCodeMcp.Commands.InvokeClaudeCodeCommand", error.FullyQualifiedErrorId);
        Assert.Contains("boom", error.Exception.Message);
    }

    [Fact]
    public async Task Ctrl_C_stops_the_children_Invoke_ClaudeCode_started()
    {
        await using var sandbox = new ModuleSandbox();
        using var call = sandbox.Begin("'fake:sleep 30000', 'fake:sleep 30000' | Invoke-ClaudeCode -Verbose");
        var pids = new List<int>();
        await Eventually.TrueAsync(() => RunningPids(sandbox).Count == 2, "the two children");
        pids.AddRange(RunningPids(sandbox));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        call.Stop();

        await ProcessAssert.AssertGoneAsync(pids);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Stopping took {clock.Elapsed}");
        Assert.Equal(["Cancelled", "Cancelled"], sandbox.Run("(Get-ClaudeTask).TaskState").Ok().Select(s => s.ToString()));
        await ModuleInternals.AssertNoFollowersLeftAsync(sandbox.StateDir);
    }

    [Fact]
    public async Task Progress_and_Verbose_show_the_command_line_and_activity()
    {
        await using var sandbox = new ModuleSandbox();
        var result = sandbox.Run("Invoke-ClaudeCode \"fake:tool-start Bash`nfake:sleep 1200`nfake:text ok\" -Model sonnet -Verbose");

        var verbose = result.Streams.Verbose.Select(v => v.Message).ToList();
        Assert.Contains(verbose, v => v.Contains(TestPaths.FakeClaude, StringComparison.Ordinal) && v.Contains("--model=sonnet", StringComparison.Ordinal));
        Assert.Contains(verbose, v => v.Contains("running Bash", StringComparison.Ordinal));
        Assert.NotEmpty(result.Streams.Progress);
        Assert.Equal(ProgressRecordType.Completed, result.Streams.Progress[^1].RecordType);
    }

    [Fact]
    public async Task Wait_ClaudeTask_shows_progress()
    {
        await using var sandbox = new ModuleSandbox();
        var result = sandbox.Run("'fake:sleep 1200', 'fake:sleep 100' | Start-ClaudeTask | Wait-ClaudeTask");

        Assert.Equal(2, result.Ok().Count);
        Assert.Contains(result.Streams.Progress, p => p.StatusDescription.Contains("of 2 finished", StringComparison.Ordinal));
        Assert.Equal(ProgressRecordType.Completed, result.Streams.Progress[^1].RecordType);
        Assert.Equal("2 of 2 finished", result.Streams.Progress[^1].StatusDescription);
        Assert.Equal(100, result.Streams.Progress[^1].PercentComplete);
    }

    private static List<int> RunningPids(ModuleSandbox sandbox) => ProcessAssert.RunningIn(sandbox.WorkDir);
}
