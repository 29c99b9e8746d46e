using System.Text.Json;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;

namespace ClaudeCodeMcp.Mcp.Tests;

/// <summary>
/// max_retries through the tools: a task whose child ends on a rate limit runs again on its session; meanwhile its
/// status is queued and its activity says until when; its record counts the attempts and sums the runs' tokens; a
/// cancel ends the wait. The fake claude's <c>fake:fail-runs</c> fails a session's first runs as the real CLI does.
/// </summary>
public sealed class RetryToolTests
{
    [Fact]
    public async Task A_rate_limited_task_runs_again_and_check_result_counts_the_attempts_and_sums_the_usage()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);

        var result = await server.CallAsync("claude_code_execute", new
        {
            prompt = "fake:fail-runs 1 429 50\nfake:result done at last",
            working_dir = sandbox.WorkDir,
            max_retries = 2,
        });

        Assert.False(result.IsError, result.Text());
        var record = result.Structured();
        Assert.Equal("completed", record.GetProperty("status").GetString());
        Assert.Equal(2, record.GetProperty("attempts").GetInt32());
        Assert.Equal(20, record.GetProperty("usage").GetProperty("input_tokens").GetInt64());
    }

    [Fact]
    public async Task A_task_waiting_to_run_again_is_queued_says_until_when_and_is_cancelled_at_once()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);
        var started = await server.CallAsync("claude_code_execute_async", new
        {
            prompt = "fake:fail-runs 1 529 600000\nfake:result never",
            working_dir = sandbox.WorkDir,
            max_retries = 1,
        });
        var id = started.Structured().GetProperty("task_id").GetString();

        JsonElement waiting = default;
        await ClaudeCodeMcp.Tests.Shared.Eventually.TrueAsync(() =>
        {
            waiting = server.CallAsync("claude_code_check_result", new { task_id = id }).GetAwaiter().GetResult().Structured();
            return waiting.GetProperty("activity").GetString()?.Contains("UTC", StringComparison.Ordinal) == true;
        }, "the task waiting to run again", TimeSpan.FromSeconds(60));
        Assert.Equal("queued", waiting.GetProperty("status").GetString());
        Assert.Contains("claude_code_cancel", waiting.GetProperty("message").GetString());
        Assert.Matches(@"^waiting until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC to run again \(run 2 of at most 2\): the Claude API answered HTTP 529", waiting.GetProperty("activity").GetString());

        var cancelled = (await server.CallAsync("claude_code_cancel", new { task_id = id })).Structured();

        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(1, cancelled.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task A_refused_api_key_is_not_retried()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);

        var result = await server.CallAsync("claude_code_execute", new { prompt = "fake:api-error 401 invalid x-api-key", working_dir = sandbox.WorkDir, max_retries = 3 });

        Assert.True(result.IsError);
        Assert.Equal(1, result.Structured().GetProperty("attempts").GetInt32());
    }
}
