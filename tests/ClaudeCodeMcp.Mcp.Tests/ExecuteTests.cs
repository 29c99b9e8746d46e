using System.Collections.Concurrent;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;
using ModelContextProtocol;

namespace ClaudeCodeMcp.Mcp.Tests;

public sealed class ExecuteTests
{
    [Fact]
    public async Task Execute_async_returns_a_task_id_at_once_and_wait_brings_the_result()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);

        var started = await server.CallAsync("claude_code_execute_async", new { prompt = "fake:sleep 300\nfake:text parallel answer", working_dir = sandbox.WorkDir });

        Assert.False(started.IsError);
        var id = started.Structured().Str("task_id");
        Assert.Contains($"Task ID: {id}", started.Text());
        Assert.Equal("running", started.Structured().Str("status"));

        var waited = await server.CallAsync("claude_code_wait", new { task_ids = new[] { id } });
        var record = Assert.Single(waited.Structured().GetProperty("tasks").EnumerateArray());
        Assert.Equal("completed", record.Str("status"));
        Assert.Equal("parallel answer", record.Str("result"));
        Assert.Contains("completed", record.Str("message"));

        var checkedAgain = await server.CallAsync("claude_code_check_result", new { task_id = id });
        Assert.Equal("parallel answer", checkedAgain.Structured().Str("result"));
        Assert.Contains($"Task ID: {id}", checkedAgain.Text());
    }

    [Fact]
    public async Task Execute_blocks_and_answers_with_the_childs_result()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);

        var result = await server.CallAsync("claude_code_execute", new { prompt = "fake:cost 0.5\nfake:text the answer is 42", working_dir = sandbox.WorkDir });

        Assert.False(result.IsError);
        Assert.StartsWith("the answer is 42", result.Text());
        var record = result.Structured();
        Assert.Equal("completed", record.Str("status"));
        Assert.Equal(0.5, record.GetProperty("cost_usd").GetDouble());
        var usage = record.GetProperty("usage");
        Assert.Equal([10L, 5L, 3L, 2L], new[] { "input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens" }
            .Select(kind => usage.GetProperty(kind).GetInt64()));
        Assert.Matches("^[0-9a-f-]{36}$", record.Str("session_id"));
    }

    [Fact]
    public async Task Execute_of_a_failing_child_is_an_error_with_the_reason()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);

        var result = await server.CallAsync("claude_code_execute", new { prompt = "fake:api-error 401 invalid x-api-key", working_dir = sandbox.WorkDir });

        Assert.True(result.IsError);
        Assert.Equal("failed", result.Structured().Str("status"));
        Assert.Contains("HTTP 401", result.Structured().Str("error"));
        Assert.Contains("HTTP 401", result.Text());
    }

    [Fact]
    public async Task Execute_and_wait_send_progress_while_they_block()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);
        var notes = new ConcurrentQueue<ProgressNotificationValue>();
        var progress = new SyncProgress(notes.Enqueue);

        var result = await server.CallAsync("claude_code_execute",
            new { prompt = "fake:tool-start Bash\nfake:sleep 1500\nfake:text done", working_dir = sandbox.WorkDir }, progress);

        Assert.False(result.IsError);
        Assert.NotEmpty(notes);
        Assert.Contains(notes, n => n.Message?.Contains("running Bash") == true);
        var values = notes.Select(n => n.Progress).ToList();
        Assert.Equal(values.Order(), values);

        var started = await server.CallAsync("claude_code_execute_async", new { prompt = "fake:sleep 800", working_dir = sandbox.WorkDir });
        var waitNotes = new ConcurrentQueue<ProgressNotificationValue>();
        await server.CallAsync("claude_code_wait", new { task_ids = new[] { started.Structured().Str("task_id") } }, new SyncProgress(waitNotes.Enqueue));
        Assert.NotEmpty(waitNotes);
    }

    [Fact]
    public async Task Cancelling_execute_stops_its_child()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);
        using var cancel = new CancellationTokenSource();
        var call = server.CallAsync("claude_code_execute", new { prompt = "fake:sleep 60000", working_dir = sandbox.WorkDir }, cancellationToken: cancel.Token);
        var running = await Eventually.ValueAsync(async () =>
        {
            var list = await server.CallAsync("claude_code_list_tasks", new { status = "running" });
            return list.Structured().GetProperty("tasks").EnumerateArray().Select(t => t.Str("task_id")).FirstOrDefault();
        }, "a running task");

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        var record = await Eventually.ValueAsync(async () =>
        {
            var r = (await server.CallAsync("claude_code_check_result", new { task_id = running })).Structured();
            return r.Str("status") == "running" ? null : r.Str("status");
        }, "the task to end");
        Assert.Equal("cancelled", record);
        Assert.Empty(ProcessAssert.RunningIn(sandbox.Root));
    }

    [Fact]
    public async Task Check_result_answers_at_once_while_ten_executes_run()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox, new ClaudeMcpServerSettings { ThrottleLimit = 10 });
        var started = await server.CallAsync("claude_code_execute_async", new { prompt = "fake:sleep 60000", working_dir = sandbox.WorkDir });
        var id = started.Structured().Str("task_id");
        var executes = Enumerable.Range(0, 10)
            .Select(i => server.CallAsync("claude_code_execute", new { prompt = $"fake:sleep 3000\nfake:text {i}", working_dir = sandbox.WorkDir }))
            .ToList();

        var check = await server.CallAsync("claude_code_check_result", new { task_id = id });

        Assert.Equal("running", check.Structured().Str("status"));
        Assert.DoesNotContain(executes, e => e.IsCompleted);
        var results = await Task.WhenAll(executes);
        Assert.All(results, r => Assert.False(r.IsError));
        await server.CallAsync("claude_code_cancel", new { task_id = id });
    }

    [Fact]
    public async Task Closing_the_input_ends_the_server_and_stops_its_children_but_keeps_finished_tasks()
    {
        await using var sandbox = new Sandbox();
        var server = await InProcessServer.StartAsync(sandbox);
        var done = await server.CallAsync("claude_code_execute", new { prompt = "kept", working_dir = sandbox.WorkDir });
        await server.CallAsync("claude_code_execute_async", new { prompt = "fake:ignore-sigterm\nfake:sleep 60000", working_dir = sandbox.WorkDir });

        await server.CloseInputAsync();

        Assert.Empty(ProcessAssert.RunningIn(sandbox.Root));
        var store = new Engine.Store.TaskStore(sandbox.StateDir);
        Assert.Equal("kept", store.Read(done.Structured().Str("task_id"))!.Result);
        await server.DisposeAsync();
    }

    private sealed class SyncProgress(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => report(value);
    }
}
