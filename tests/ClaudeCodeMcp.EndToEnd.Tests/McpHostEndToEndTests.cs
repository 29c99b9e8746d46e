using ClaudeCodeMcp.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace ClaudeCodeMcp.EndToEnd.Tests;

/// <summary>
/// The standalone host (out/claude-code-mcp/claude-code-mcp) over stdio with the SDK's client, its children the real
/// <c>claude</c> against the fake Messages API.
/// </summary>
public sealed class McpHostEndToEndTests(ITestOutputHelper output) : IClassFixture<SuiteDiagnostics>
{
    [SkippableFact]
    public async Task A_child_started_by_execute_async_writes_a_file_and_wait_returns_its_final_text_session_and_cost()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var target = Path.Combine(rig.WorkDir, "from-mcp.txt");
        rig.Api.OnConversation("E2E-MCP-WRITE", ApiReply.ToolThenText(
            "Write",
            new { file_path = target, content = "written through MCP\n" },
            "Wrote from-mcp.txt. E2E-MCP-FINAL"));
        var client = await rig.StartHostAsync();

        // skip_permissions is left to its default (true).
        var id = await client.StartTaskAsync(new { prompt = "E2E-MCP-WRITE: write from-mcp.txt", working_dir = rig.WorkDir, max_turns = 4, timeout = 60 });
        var task = Assert.Single(await client.WaitAllAsync(id));
        output.WriteLine(task.ToString());

        Assert.Equal("completed", task.Str("status"));
        Assert.Equal("Wrote from-mcp.txt. E2E-MCP-FINAL", task.Str("result"));
        Assert.Equal("written through MCP\n", File.ReadAllText(target));
        Assert.True(Guid.TryParse(task.Str("session_id"), out _), task.ToString());
        Assert.True(task.GetProperty("cost_usd").GetDouble() > 0, task.ToString());
        Assert.Equal(2, task.GetProperty("num_turns").GetInt32());
        Assert.Equal(0, task.GetProperty("permission_denials").GetArrayLength());
        Assert.Equal(rig.WorkDir, task.Str("working_dir"));
        var checkedAgain = (await client.CallAsync("claude_code_check_result", new { task_id = id })).Structured();
        Assert.Equal("completed", checkedAgain.Str("status"));
        Assert.All(rig.Api.RequestsOf("E2E-MCP-WRITE"), r => Assert.Equal(task.Str("session_id"), r.SessionHeader));
        Assert.Empty(rig.ChildrenLeft());
    }

    [SkippableFact]
    public async Task Without_skip_permissions_the_denial_is_in_the_status_record_and_its_message_and_no_file_exists()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var target = Path.Combine(rig.WorkDir, "denied.txt");
        rig.Api.OnConversation("E2E-MCP-DENIED", ApiReply.ToolThenText(
            "Write",
            new { file_path = target, content = "must not exist\n" },
            "Done, the file is written."));
        var client = await rig.StartHostAsync();

        var id = await client.StartTaskAsync(new { prompt = "E2E-MCP-DENIED: write denied.txt", working_dir = rig.WorkDir, skip_permissions = false, max_turns = 4, timeout = 60 });
        var task = Assert.Single(await client.WaitAllAsync(id));
        output.WriteLine(task.ToString());

        Assert.False(File.Exists(target), "the denied Write created the file");
        Assert.Equal(["Write"], task.GetProperty("permission_denials").EnumerateArray().Select(d => d.GetString()));
        // The model's own words claim success; the record's message must not.
        Assert.Contains("denied", task.Str("message"));
        Assert.Contains("Write", task.Str("message"));
    }

    [SkippableFact]
    public async Task Resume_session_id_continues_the_first_tasks_conversation()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var word = "MANGO" + Guid.NewGuid().ToString("N")[..6];
        rig.Api.On(r => r.LastUserText.Contains("E2E-MCP-RESUME-2", StringComparison.Ordinal), EngineEndToEndTests.TellsTheWordOnlyIfResumed(word));
        rig.Api.OnConversation("E2E-MCP-RESUME-1", _ => ApiReply.Text("Noted."));
        var client = await rig.StartHostAsync();

        var first = Assert.Single(await client.WaitAllAsync(
            await client.StartTaskAsync(new { prompt = $"E2E-MCP-RESUME-1: remember {word}", working_dir = rig.WorkDir, max_turns = 2, timeout = 60 })));
        Assert.Equal("completed", first.Str("status"));
        var session = first.Str("session_id");
        var second = Assert.Single(await client.WaitAllAsync(
            await client.StartTaskAsync(new { prompt = "E2E-MCP-RESUME-2: what was the word?", working_dir = rig.WorkDir, resume_session_id = session, max_turns = 2, timeout = 60 })));
        output.WriteLine(second.ToString());

        Assert.Equal("completed", second.Str("status"));
        Assert.Equal($"The word was {word}.", second.Str("result"));
        Assert.Equal(session, second.Str("session_id"));
        var resumed = rig.Api.Requests.Last();
        Assert.Contains(word, resumed.FirstUserText);
        Assert.Equal(session, resumed.SessionHeader);
    }

    [SkippableFact]
    public async Task Cancel_ends_a_child_stalled_on_the_api_and_its_whole_tree_and_a_timeout_does_too()
    {
        await using var rig = await EndToEndRig.StartAsync();
        rig.Api.OnConversation("E2E-MCP-STALL", EngineEndToEndTests.StartBackgroundShellThenStall);
        var client = await rig.StartHostAsync();

        var cancelled = await client.StartTaskAsync(new { prompt = "E2E-MCP-STALL: hang until cancelled", working_dir = rig.WorkDir, max_turns = 4, timeout = 60 });
        await rig.Api.WaitForStalledAsync();
        Assert.True(rig.ChildrenLeft().Count >= 2, "the child and its background shell run");
        var record = (await client.CallAsync("claude_code_cancel", new { task_id = cancelled })).Structured();
        output.WriteLine(record.ToString());
        Assert.Equal("cancelled", record.Str("status"));
        Assert.Empty(rig.ChildrenLeft());

        foreach (var timeout in EndToEndRig.StallTimeouts)
        {
            var marker = $"until the timeout of {timeout} s";
            var timedOut = await client.StartTaskAsync(new { prompt = $"E2E-MCP-STALL: hang {marker}", working_dir = rig.WorkDir, max_turns = 4, timeout });
            var stalled = await rig.ReachesTurnOneAsync(marker, TimeSpan.FromSeconds(timeout));
            if (stalled) Assert.True(rig.ChildrenLeft().Count >= 2, "the child and its background shell run");
            var task = Assert.Single(await client.WaitAllAsync(timedOut));
            output.WriteLine(task.ToString());
            Assert.Equal("timed_out", task.Str("status"));
            Assert.Contains("timeout", task.Str("error"));
            Assert.Empty(rig.ChildrenLeft());
            if (stalled) return;
            output.WriteLine($"The child did not reach its stall within {timeout} s; again with more time.");
        }
        Assert.Fail("The child never reached its stalled turn before its timeout.");
    }

    [SkippableFact]
    public async Task Run_as_a_Claude_Code_mcp_server_with_CLAUDECODE_and_the_lineage_variables_the_host_still_starts_children_that_carry_nothing_of_the_parent()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var parentSession = Guid.NewGuid().ToString();
        var parentToken = "parent-token-" + Guid.NewGuid().ToString("N");
        var parentSocket = Path.Combine(rig.TmpDir, "parent.sock");
        var parentNotes = Path.Combine(rig.TmpDir, "parent-notes");
        // What Claude Code 2.1.331 sets for a stdio MCP server it starts (claude-cli.md §3).
        var asMcpServer = new Dictionary<string, string>
        {
            ["CLAUDECODE"] = "1",
            ["CLAUDE_CODE_ENTRYPOINT"] = "sdk-cli",
            ["CLAUDE_CODE_SESSION_ID"] = parentSession,
            ["CLAUDE_CODE_LAUNCHED_BY_SESSION_IDS"] = parentSession,
            ["CLAUDE_CODE_CHILD_NOTES_DIR"] = parentNotes,
            ["CLAUDE_CODE_MESSAGING_SOCKET"] = parentSocket,
            ["CLAUDE_CODE_MESSAGING_TOKEN"] = parentToken,
            ["CLAUDE_CODE_CHILD_SESSION"] = "1",
            ["CLAUDE_CODE_SESSION_ATTENDED"] = "0",
        };
        var envFile = Path.Combine(rig.WorkDir, "child-env.txt");
        // The Bash tool's shell is the child claude's own child: /proc/$PPID/environ is exactly what the host gave claude
        // (the Bash tool's own environment is rewritten by the CLI, so it would prove nothing).
        rig.Api.OnConversation("E2E-NESTED", ApiReply.ToolThenText(
            "Bash",
            new { command = $"(readlink /proc/$PPID/exe; tr '\\0' '\\n' < /proc/$PPID/environ | sort) > {envFile}", description = "Save claude's environment" },
            "E2E-NESTED-DONE"));
        var client = await rig.StartHostAsync(asMcpServer);

        var task = Assert.Single(await client.WaitAllAsync(
            await client.StartTaskAsync(new { prompt = "E2E-NESTED: save your environment", working_dir = rig.WorkDir, max_turns = 4, timeout = 60 })));
        output.WriteLine(task.ToString());

        Assert.Equal("completed", task.Str("status"));
        Assert.Equal("E2E-NESTED-DONE", task.Str("result"));
        Assert.NotEqual(parentSession, task.Str("session_id"));
        Assert.All(rig.Api.RequestsOf("E2E-NESTED"), r =>
        {
            Assert.Equal(task.Str("session_id"), r.SessionHeader);
            Assert.DoesNotContain(parentSession, r.RawBody);
        });
        // The child claude was started with none of the parent session's variables: no session, no token, no socket.
        var childEnv = File.ReadAllText(envFile);
        // Names only: values may be a developer's secrets.
        output.WriteLine(string.Join(" ", childEnv.Split('\n').Skip(1).Select(l => l.Split('=')[0])));
        Assert.Equal(RealClaude.Executable, childEnv.Split('\n')[0]);
        Assert.Contains("\nANTHROPIC_BASE_URL=" + rig.Api.BaseUrl + "\n", childEnv);
        foreach (var name in asMcpServer.Keys) Assert.DoesNotContain("\n" + name + "=", childEnv);
        Assert.DoesNotContain(parentSession, childEnv);
        Assert.DoesNotContain(parentToken, childEnv);
        Assert.DoesNotContain(parentSocket, childEnv);
        Assert.DoesNotContain(parentNotes, childEnv);
    }
}
