using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;

namespace ClaudeCodeMcp.Mcp.Tests;

/// <summary>The daily spend guard through the MCP door: the server's flag sets it, and a start over it is a tool error that says why.</summary>
public sealed class SpendGuardToolTests
{
    [Fact]
    public async Task A_server_with_a_daily_budget_below_one_tasks_cost_runs_the_first_task_and_refuses_the_second_saying_why()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox, ServerFlags.Parse(["--daily-budget-usd", "0.25"]));

        var first = await server.CallAsync("claude_code_execute", new { prompt = "fake:cost 0.4", working_dir = sandbox.WorkDir });
        var second = await server.CallAsync("claude_code_execute_async", new { prompt = "the second", working_dir = sandbox.WorkDir });

        Assert.Equal("completed", first.Structured().Str("status"));
        Assert.True(second.IsError, second.Text());
        Assert.Contains("have cost $0.40, and the daily budget is $0.25", second.Text());
        Assert.Contains("Room frees up at", second.Text());
        var listed = (await server.CallAsync("claude_code_list_tasks")).Structured().GetProperty("tasks");
        Assert.Equal(1, listed.GetArrayLength());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("ten")]
    [InlineData("-1")]
    public void A_daily_budget_flag_that_is_no_positive_number_says_what_it_takes(string value)
    {
        var refused = Assert.Throws<ArgumentException>(() => ServerFlags.Parse(["--daily-budget-usd", value]));
        Assert.Contains($"--daily-budget-usd takes a number of US dollars above 0, such as 20 or 7.50, not '{value}'", refused.Message);
        Assert.Contains("--daily-budget-usd", ServerFlags.Help);
    }
}
