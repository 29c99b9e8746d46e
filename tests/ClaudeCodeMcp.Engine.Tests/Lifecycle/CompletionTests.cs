using System.Text.Json;
using ClaudeCodeMcp.Engine.Tests.Support;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

public sealed class CompletionTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Successful_child_is_completed_with_its_result_session_cost_and_model()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var started = manager.Start(sandbox.Spec("fake:text working on it\nfake:cost 0.25\nfake:text all done"));

        var record = (await manager.WaitAsync([started.Id]).WaitAsync(Hang))[0];

        Assert.Equal(ClaudeTaskState.Completed, record.State);
        Assert.Equal("all done", record.Result);
        Assert.Null(record.Error);
        Assert.Equal(0.25, record.CostUsd);
        Assert.Equal(new ClaudeTokenUsage { InputTokens = 10, OutputTokens = 5, CacheReadInputTokens = 3, CacheCreationInputTokens = 2 }, record.Usage);
        Assert.Equal(record.Usage, ClaudeTaskManager.Peek(manager.StateDirectory).Single(r => r.Id == started.Id).Usage); // as stored
        Assert.Equal(2, record.NumTurns);
        Assert.Matches("^[0-9a-f-]{36}$", record.SessionId);
        Assert.Equal("claude-sonnet-4-5-20250929", record.Model);
        Assert.NotNull(record.StartedAt);
        Assert.NotNull(record.EndedAt);
        Assert.Equal(0, record.ExitCode);
        Assert.Null(record.Child);
        var onDisk = manager.Store.Read(started.Id)!;
        Assert.Equal(ClaudeTaskState.Completed, onDisk.State);
        Assert.Equal(record.Result, onDisk.Result);
        Assert.Equal(record.SessionId, onDisk.SessionId);
    }

    [Theory]
    [InlineData("plain words")]
    [InlineData("quotes \" ' ` and $HOME and $(whoami) and ; | & < >")]
    [InlineData("line one\nline two\r\nline three\n")]
    [InlineData("unicode: ünïcödé 日本語 😀 \u2028 العربية")]
    [InlineData("--dangerously-skip-permissions --help")]
    [InlineData("-p starts with a dash")]
    public async Task Prompt_reaches_the_child_exactly_through_stdin(string prompt)
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var record = await RunAsync(manager, sandbox.Spec(prompt));

        Assert.Equal(ClaudeTaskState.Completed, record.State);
        Assert.Equal(prompt, record.Result);
        Assert.Equal(prompt, manager.GetPrompt(record.Id));
    }

    [Fact]
    public async Task A_prompt_of_exactly_the_limit_arrives_whole_and_one_byte_more_is_refused_saying_the_limit()
    {
        await using var sandbox = new Sandbox();
        var lines = string.Concat(Enumerable.Range(0, TaskLimits.MaxPromptBytes / 18).Select(i => $"line {i,9} ü\n")); // 18 bytes a line
        var prompt = lines + new string('x', TaskLimits.MaxPromptBytes - System.Text.Encoding.UTF8.GetByteCount(lines));
        var manager = sandbox.Manager();

        var record = await RunAsync(manager, sandbox.Spec(prompt));
        var refused = Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec(prompt + "y")));

        Assert.Equal(ClaudeTaskState.Completed, record.State);
        Assert.Equal(prompt, record.Result);
        Assert.Equal(ClaudeErrorCode.InvalidArgument, refused.Code);
        Assert.Contains("1,048,577 bytes; the limit is 1,048,576 (1 MiB)", refused.Message);
    }

    [Fact]
    public async Task Child_gets_its_flags_and_a_clean_environment_but_never_the_prompt_in_argv()
    {
        await using var sandbox = new Sandbox();
        foreach (var name in ChildEnvironment.ParentSessionVariables) sandbox.Environment[name] = "parent-value";
        sandbox.Environment["KEEP_ME"] = "kept";
        var report = sandbox.File("report.json");
        var spec = sandbox.Spec($"fake:report {report}\n--secret-prompt") with
        {
            Model = "opus",
            PermissionMode = "acceptEdits",
            AllowedTools = ["Read", "Bash(git log:*)"],
            DisallowedTools = ["WebFetch"],
            MaxTurns = 7,
            MaxBudgetUsd = 1.5m,
            AppendSystemPrompt = "be brief\n--not-a-flag",
            AddDirectories = [sandbox.Root],
            Environment = new Dictionary<string, string> { ["TASK_VAR"] = "task" },
        };
        var options = sandbox.Options() with { Environment = new Dictionary<string, string> { ["ENGINE_VAR"] = "engine" } };
        var manager = sandbox.Manager(options);

        var record = await RunAsync(manager, spec with { ResumeSessionId = "0c7d9f36-5b1e-4d0a-9a57-2f1de3b2a6c1" });
        Assert.Equal(ClaudeTaskState.Completed, record.State);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var argv = json.RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToList();
        Assert.Equal(["-p", "--output-format", "stream-json", "--verbose"], argv.Take(4));
        Assert.Contains("--model=opus", argv);
        Assert.Contains("--permission-mode=acceptEdits", argv);
        Assert.Contains("--allowedTools=Read", argv);
        Assert.Contains("--allowedTools=Bash(git log:*)", argv);
        Assert.Contains("--disallowedTools=WebFetch", argv);
        Assert.Contains("--max-turns=7", argv);
        Assert.Contains("--max-budget-usd=1.5", argv);
        Assert.Contains("--append-system-prompt=be brief\n--not-a-flag", argv);
        Assert.Contains($"--add-dir={sandbox.Root}", argv);
        Assert.Contains("--resume=0c7d9f36-5b1e-4d0a-9a57-2f1de3b2a6c1", argv);
        Assert.DoesNotContain(argv, a => a.Contains("secret-prompt"));
        Assert.Equal(sandbox.WorkDir, json.RootElement.GetProperty("cwd").GetString());
        Assert.Equal("0c7d9f36-5b1e-4d0a-9a57-2f1de3b2a6c1", record.SessionId);

        var env = json.RootElement.GetProperty("env");
        foreach (var name in ChildEnvironment.ParentSessionVariables) Assert.False(env.TryGetProperty(name, out _), name);
        Assert.Equal("kept", env.GetProperty("KEEP_ME").GetString());
        Assert.Equal("engine", env.GetProperty("ENGINE_VAR").GetString());
        Assert.Equal("task", env.GetProperty("TASK_VAR").GetString());
        Assert.Equal(sandbox.Home, env.GetProperty("HOME").GetString());
    }

    [Fact]
    public async Task A_task_can_bring_its_own_inherited_environment()
    {
        await using var sandbox = new Sandbox();
        sandbox.Environment["REMOVED_LATER"] = "stale";
        var manager = sandbox.Manager();
        var current = new Dictionary<string, string>(sandbox.Environment) { ["CLAUDECODE"] = "1", ["FRESH"] = "new" };
        current.Remove("REMOVED_LATER");
        var report = sandbox.File("env.json");

        var record = await RunAsync(manager, sandbox.Spec($"fake:report {report}") with { InheritedEnvironment = current });

        Assert.Equal(ClaudeTaskState.Completed, record.State);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var env = json.RootElement.GetProperty("env");
        Assert.False(env.TryGetProperty("REMOVED_LATER", out _));
        Assert.False(env.TryGetProperty("CLAUDECODE", out _));
        Assert.Equal("new", env.GetProperty("FRESH").GetString());
    }

    [Fact]
    public async Task Child_starts_even_when_the_engine_runs_under_a_parent_claude_session()
    {
        await using var sandbox = new Sandbox();
        sandbox.Environment["CLAUDECODE"] = "1";
        sandbox.Environment["CLAUDE_CODE_ENTRYPOINT"] = "cli";
        var record = await RunAsync(sandbox.Manager(), sandbox.Spec("nested hello"));
        Assert.Equal(ClaudeTaskState.Completed, record.State);
        Assert.Equal("nested hello", record.Result);
    }

    [Fact]
    public async Task Garbage_unknown_events_and_huge_lines_do_not_disturb_the_result()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var record = await RunAsync(manager, sandbox.Spec("fake:garbage\nfake:huge 6000000\nfake:raw {\"type\":\"stream_event\",\"event\":{}}\nfake:text survived"));

        Assert.Equal(ClaudeTaskState.Completed, record.State);
        Assert.Equal("survived", record.Result);
        var log = new FileInfo(manager.Store.StreamLogPath(record.Id));
        Assert.True(log.Length > 6_000_000, "the raw stream, huge line included, is kept in the log");
    }

    [Fact]
    public async Task Running_task_shows_the_tool_in_use_and_the_turn_count()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var tcs = new TaskCompletionSource<ClaudeTaskRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        manager.TaskChanged += r =>
        {
            if (r.Activity?.CurrentTool == "Bash") tcs.TrySetResult(r);
        };
        var started = manager.Start(sandbox.Spec("fake:text let me look\nfake:tool Read {\"file_path\":\"/x\"}\nfake:tool-start Bash\nfake:sleep 30000"));

        var running = await tcs.Task.WaitAsync(Hang);
        Assert.Equal(ClaudeTaskState.Running, running.State);
        Assert.Equal(3, running.Activity!.Turns);
        Assert.Equal("let me look", running.Activity.LastText);
        Assert.Equal("turn 3, running Bash", running.Activity.Describe());
        await manager.StopAsync(started.Id).WaitAsync(Hang);
    }

    [Fact]
    public async Task Permission_denials_are_reported_with_a_completed_run()
    {
        await using var sandbox = new Sandbox();
        var record = await RunAsync(sandbox.Manager(), sandbox.Spec("fake:denied Write\nfake:text I could not write the file"));

        Assert.Equal(ClaudeTaskState.Completed, record.State);
        var denial = Assert.Single(record.PermissionDenials);
        Assert.Equal("Write", denial.ToolName);
        Assert.Contains("file_path", denial.ToolInput);
    }

    internal static async Task<ClaudeTaskRecord> RunAsync(ClaudeTaskManager manager, ClaudeTaskSpec spec)
    {
        var started = manager.Start(spec);
        return (await manager.WaitAsync([started.Id]).WaitAsync(Hang))[0];
    }
}
