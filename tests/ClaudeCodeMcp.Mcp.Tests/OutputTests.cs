using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Mcp.Tests;

public sealed class OutputTests
{
    [Fact]
    public async Task A_long_result_is_cut_with_a_pointer_to_get_output_which_pages_the_whole_transcript()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);
        var longText = string.Concat(Enumerable.Range(0, 6000).Select(i => $"word{i} "));

        var result = await server.CallAsync("claude_code_execute", new { prompt = $"fake:tool Read {{\"file_path\":\"/x\"}}\nfake:text {longText}", working_dir = sandbox.WorkDir });

        var record = result.Structured();
        Assert.True(record.GetProperty("result_truncated").GetBoolean());
        Assert.True(record.Str("result").Length <= ToolResults.MaxResultChars + 1);
        Assert.Contains("claude_code_get_output", record.Str("message"));
        Assert.True(result.Text().Length + record.GetRawText().Length < 100_000, "the whole answer stays well under 25,000 tokens");

        var id = record.Str("task_id");
        var transcript = new System.Text.StringBuilder();
        long? offset = 0;
        var pages = 0;
        while (offset is { } at)
        {
            var page = (await server.CallAsync("claude_code_get_output", new { task_id = id, offset = at, max_chars = 10_000 })).Structured();
            transcript.Append(page.Str("text"));
            offset = page.GetProperty("next_offset").ValueKind == System.Text.Json.JsonValueKind.Null ? null : page.GetProperty("next_offset").GetInt64();
            pages++;
        }
        var text = transcript.ToString();
        Assert.True(pages >= 5, $"{pages} pages");
        Assert.Contains("→ Read {\"file_path\":\"/x\"}", text);
        Assert.Contains("word5999", text);
        Assert.Contains("[result: success", text);
        Assert.DoesNotContain("\"type\":\"assistant\"", text);
    }

    [Fact]
    public async Task List_tasks_filters_by_status_newest_first_and_cancel_stops_a_task()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);
        var first = await server.CallAsync("claude_code_execute", new { prompt = "one", working_dir = sandbox.WorkDir, name = "first" });
        var second = await server.CallAsync("claude_code_execute", new { prompt = "fake:exit 3", working_dir = sandbox.WorkDir });
        var third = await server.CallAsync("claude_code_execute_async", new { prompt = "fake:sleep 60000", working_dir = sandbox.WorkDir });
        var runningId = third.Structured().Str("task_id");

        var all = (await server.CallAsync("claude_code_list_tasks")).Structured().GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal([runningId, second.Structured().Str("task_id"), first.Structured().Str("task_id")], all.Select(t => t.Str("task_id")));
        Assert.Equal("first", all[2].Str("name"));
        var failed = (await server.CallAsync("claude_code_list_tasks", new { status = "failed" })).Structured().GetProperty("tasks");
        Assert.Equal(second.Structured().Str("task_id"), Assert.Single(failed.EnumerateArray()).Str("task_id"));
        Assert.Single((await server.CallAsync("claude_code_list_tasks", new { limit = 1 })).Structured().GetProperty("tasks").EnumerateArray());

        var cancelled = await server.CallAsync("claude_code_cancel", new { task_id = runningId });
        Assert.Equal("cancelled", cancelled.Structured().Str("status"));
        Assert.Contains("cancelled", cancelled.Structured().Str("message"));
    }

    [Fact]
    public async Task A_task_queued_for_a_store_wide_slot_says_so_in_its_activity()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox, new ClaudeMcpServerSettings { MaxChildren = 1 });
        var first = (await server.CallAsync("claude_code_execute_async", new { prompt = "fake:sleep 60000", working_dir = sandbox.WorkDir })).Structured().Str("task_id");
        var second = (await server.CallAsync("claude_code_execute_async", new { prompt = "next", working_dir = sandbox.WorkDir })).Structured().Str("task_id");

        var activity = await Eventually.ValueAsync(async () =>
        {
            var r = (await server.CallAsync("claude_code_check_result", new { task_id = second })).Structured();
            return r.GetProperty("activity").ValueKind == System.Text.Json.JsonValueKind.String ? r.Str("status") + ": " + r.Str("activity") : null;
        }, "the queued task's activity");

        Assert.StartsWith("queued: waiting for a store-wide slot: 1 children", activity);
        await server.CallAsync("claude_code_cancel", new { task_id = first });
        var done = await server.CallAsync("claude_code_wait", new { task_ids = new[] { second }, timeout = 60 });
        Assert.Equal("completed", done.Structured().GetProperty("tasks")[0].Str("status"));
    }

    [Fact]
    public async Task Every_status_record_carries_every_member_even_when_null()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);
        var started = await server.CallAsync("claude_code_execute_async", new { prompt = "fake:sleep 60000", working_dir = sandbox.WorkDir });
        var id = started.Structured().Str("task_id");

        var record = (await server.CallAsync("claude_code_check_result", new { task_id = id })).Structured();

        foreach (var member in new[] { "task_id", "name", "status", "result", "error", "session_id", "model", "working_dir", "cost_usd",
                     "num_turns", "duration_ms", "started_at", "ended_at", "activity", "permission_denials", "usage", "message" })
            Assert.True(record.TryGetProperty(member, out _), member);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, record.GetProperty("result").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, record.GetProperty("usage").ValueKind); // no result yet, no usage
        Assert.Equal("running", record.Str("status"));
        Assert.Contains("claude_code_wait", record.Str("message"));
        await server.CallAsync("claude_code_cancel", new { task_id = id });
    }

    [Fact]
    public async Task Permission_denials_show_in_the_record_and_its_message()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);

        var result = await server.CallAsync("claude_code_execute", new { prompt = "fake:denied Write\nfake:text I could not write it", working_dir = sandbox.WorkDir, skip_permissions = false });

        var record = result.Structured();
        Assert.Equal("completed", record.Str("status"));
        Assert.Equal(["Write"], record.GetProperty("permission_denials").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("denied", record.Str("message"));
    }

    [Fact]
    public async Task A_list_of_fifty_tasks_with_long_results_and_errors_stays_well_under_the_token_limit()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox, new ClaudeMcpServerSettings { ThrottleLimit = 10 });
        var longText = string.Concat(Enumerable.Repeat("a long answer with many words ", 2000));
        var longError = string.Concat(Enumerable.Repeat("stderr noise ", 300));
        var ids = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            var prompt = i % 2 == 0 ? $"fake:text {longText}" : $"fake:stderr {longError}\nfake:exit 1";
            ids.Add((await server.CallAsync("claude_code_execute_async", new { prompt, working_dir = sandbox.WorkDir })).Structured().Str("task_id"));
        }
        var waited = await server.CallAsync("claude_code_wait", new { task_ids = ids, timeout = 120 });
        var listed = await server.CallAsync("claude_code_list_tasks", new { limit = 50 });

        foreach (var result in new[] { waited, listed })
        {
            var shown = result.Structured().GetProperty("tasks").GetArrayLength();
            Assert.True(shown == 50, $"{shown} shown: {result.Structured().Str("message")}");
            var size = result.Text().Length + result.Structured().GetRawText().Length;
            // About 4 characters a token: 60,000 characters is some 15,000 tokens, well under Claude Code's 25,000.
            Assert.True(size < 60_000, $"{size} characters");
        }
    }

    [Fact]
    public async Task A_list_too_long_for_one_answer_shows_what_fits_and_says_how_to_see_the_rest()
    {
        await using var sandbox = new Sandbox();
        var store = new Engine.Store.TaskStore(sandbox.StateDir);
        for (var i = 0; i < 200; i++)
        {
            store.Create(id => new Engine.ClaudeTaskRecord
            {
                Id = id,
                State = Engine.ClaudeTaskState.Failed,
                PromptPreview = "",
                WorkingDirectory = sandbox.WorkDir,
                CreatedAt = DateTimeOffset.UtcNow.AddSeconds(i),
                Error = string.Concat(Enumerable.Repeat("a long reason ", 100)),
            }, $"prompt {i}");
        }
        await using var server = await InProcessServer.StartAsync(sandbox);

        var listed = await server.CallAsync("claude_code_list_tasks", new { limit = 200 });

        var shown = listed.Structured().GetProperty("tasks").GetArrayLength();
        Assert.InRange(shown, 20, 199);
        Assert.Contains($"{200 - shown} more task(s) are not shown", listed.Structured().Str("message"));
        Assert.True(listed.Text().Length + listed.Structured().GetRawText().Length < 60_000);
    }

    [Fact]
    public async Task Get_output_with_wait_seconds_waits_for_output_past_the_offset_and_returns_when_it_comes()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);
        var cue = sandbox.File("go-on");
        var started = await server.CallAsync("claude_code_execute_async", new
        {
            prompt = $"fake:text first words\nfake:wait-for {cue}\nfake:text second words", working_dir = sandbox.WorkDir,
        });
        var id = started.Structured().Str("task_id");

        // Followed as a client would: each answer comes when there is something new (the session line, then the words).
        var offset = await ReadUntilAsync(server, id, "first words");

        var waiting = server.CallAsync("claude_code_get_output", new { task_id = id, offset, wait_seconds = 60 });
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(waiting.IsCompleted, "nothing past the offset yet: the call waits");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        File.WriteAllText(cue, "");
        var second = (await waiting.WaitAsync(TimeSpan.FromSeconds(90))).Structured();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(45), $"returned {clock.Elapsed} after the output came, not when it came");
        Assert.StartsWith("second words", second.Str("text"));
        Assert.DoesNotContain("first words", second.Str("text"));

        var ended = await server.CallAsync("claude_code_wait", new { task_ids = new[] { id } });
        Assert.Equal("completed", ended.Structured().GetProperty("tasks")[0].Str("status"));
        var atEnd = (await server.CallAsync("claude_code_get_output", new { task_id = id, offset = 1_000_000, wait_seconds = 60 })
            .WaitAsync(TimeSpan.FromSeconds(30))).Structured();
        Assert.Equal("", atEnd.Str("text")); // a finished task has nothing more to wait for: answered at once
        Assert.Contains("ended", atEnd.Str("message"));

        var tooLong = await server.CallAsync("claude_code_get_output", new { task_id = id, wait_seconds = 61 });
        Assert.True(tooLong.IsError);
        Assert.Contains("60", tooLong.Text());
    }

    [Fact]
    public async Task Get_output_with_wait_seconds_gives_up_empty_when_nothing_comes_and_says_to_call_again()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);
        var started = await server.CallAsync("claude_code_execute_async", new { prompt = "fake:text only this\nfake:sleep 60000", working_dir = sandbox.WorkDir });
        var id = started.Structured().Str("task_id");
        var offset = await ReadUntilAsync(server, id, "only this");

        var page = (await server.CallAsync("claude_code_get_output", new { task_id = id, offset, wait_seconds = 1 })).Structured();

        Assert.Equal("", page.Str("text"));
        Assert.Contains($"offset {offset}", page.Str("message"));
        Assert.Contains("wait_seconds", page.Str("message"));
        await server.CallAsync("claude_code_cancel", new { task_id = id });
    }

    /// <summary>Long-polls a task's transcript until it holds <paramref name="words"/>; the offset after them.</summary>
    private static async Task<int> ReadUntilAsync(InProcessServer server, string id, string words)
    {
        var text = "";
        for (var calls = 0; !text.Contains(words, StringComparison.Ordinal); calls++)
        {
            Assert.True(calls < 10, $"the transcript never showed '{words}': {text}");
            var page = (await server.CallAsync("claude_code_get_output", new { task_id = id, offset = text.Length, wait_seconds = 60 })).Structured();
            Assert.NotEqual("", page.Str("text")); // a wait answers with something new, the task still running
            text += page.Str("text");
        }
        return text.Length;
    }
}
