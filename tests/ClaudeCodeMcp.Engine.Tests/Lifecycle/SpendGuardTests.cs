using ClaudeCodeMcp.Engine.Store;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

/// <summary>
/// The daily spend guard: once the tasks of the store started in the last 24 hours have cost the budget, new starts
/// are refused with the spend, the budget and when room frees up; what counts is the records' cost, whichever process
/// ran the tasks, and tasks older than 24 hours do not count.
/// </summary>
public sealed class SpendGuardTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_budget_below_one_tasks_cost_lets_the_first_task_run_and_refuses_the_next_in_every_process_of_the_store()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager(sandbox.Options() with { DailyBudgetUsd = 0.25 });

        var first = manager.Start(sandbox.Spec("fake:cost 0.4"));
        var done = (await manager.WaitAsync([first.Id]).WaitAsync(Hang)).Single();
        var refused = Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec("the second")));

        Assert.Equal(ClaudeTaskState.Completed, done.State);
        Assert.Equal(ClaudeErrorCode.BudgetExhausted, refused.Code);
        Assert.Contains("have cost $0.40, and the daily budget is $0.25", refused.Message);
        Assert.Contains($"Room frees up at {(done.StartedAt!.Value + SpendGuard.Window).UtcDateTime:yyyy-MM-dd HH:mm} UTC", refused.Message);
        Assert.Contains("Running tasks go on", refused.Message);
        Assert.Single(manager.List()); // nothing was made for the refused task

        // Another engine on the same store, its budget from the variable: the first task's record counts there too.
        var environment = new Dictionary<string, string>(sandbox.Environment) { [SpendGuard.Variable] = "0.30" };
        var other = sandbox.Manager(sandbox.Options() with { BaseEnvironment = environment });
        var refusedThere = Assert.Throws<ClaudeTaskException>(() => other.Start(sandbox.Spec("from another process")));
        Assert.Contains("the daily budget is $0.30 (CLAUDE_CODE_MCP_DAILY_BUDGET_USD)", refusedThere.Message);

        // Without a budget nothing is refused.
        var free = sandbox.Manager();
        var ran = (await free.WaitAsync([free.Start(sandbox.Spec("no budget here")).Id]).WaitAsync(Hang)).Single();
        Assert.Equal(ClaudeTaskState.Completed, ran.State);
    }

    [Fact]
    public async Task Tasks_started_more_than_24_hours_ago_do_not_count_and_room_frees_when_the_counted_ones_age_out()
    {
        await using var sandbox = new Sandbox();
        var store = new TaskStore(sandbox.StateDir);
        var now = DateTimeOffset.UtcNow;
        FinishedRecord.Write(store, sandbox.WorkDir, "a day and an hour ago", now.AddHours(-25), costUsd: 50);
        FinishedRecord.Write(store, sandbox.WorkDir, "twenty hours ago", now.AddHours(-20), costUsd: 0.6);
        var manager = sandbox.Manager(sandbox.Options() with { DailyBudgetUsd = 1 });

        var started = manager.Start(sandbox.Spec("fake:cost 0.3"));
        await manager.WaitAsync([started.Id]).WaitAsync(Hang);
        var tenHoursAgo = now.AddHours(-10);
        FinishedRecord.Write(store, sandbox.WorkDir, "ten hours ago", tenHoursAgo, costUsd: 0.2);
        var refused = Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec("over the budget")));

        // $1.10 counted (0.6 + 0.3 + 0.2; the $50 is older than a day). When the 20-hour-old task ages out, $0.50 is
        // left, under the budget: that is when room frees up.
        Assert.Contains("have cost $1.10, and the daily budget is $1.00", refused.Message);
        Assert.Contains($"Room frees up at {now.AddHours(4).UtcDateTime:yyyy-MM-dd HH:mm} UTC", refused.Message);
    }

    [Theory]
    [InlineData("twenty")]
    [InlineData("-5")]
    [InlineData("0")]
    public async Task A_budget_variable_that_is_no_positive_number_refuses_to_start_rather_than_turning_the_guard_off(string value)
    {
        await using var sandbox = new Sandbox();
        var environment = new Dictionary<string, string>(sandbox.Environment) { [SpendGuard.Variable] = value };
        var manager = sandbox.Manager(sandbox.Options() with { BaseEnvironment = environment });

        var refused = Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec("any")));

        Assert.Equal(ClaudeErrorCode.InvalidArgument, refused.Code);
        Assert.Contains($"CLAUDE_CODE_MCP_DAILY_BUDGET_USD is '{value}'", refused.Message);
        Assert.Empty(manager.List());
    }
}
