using System.Runtime.Versioning;
using System.Text;
using ClaudeCodeMcp.Engine.Processes;
using ClaudeCodeMcp.Engine.Store;
using Xunit;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

public sealed class StateDirectoryTests : IDisposable
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly UnitTempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Dictionary<string, string> Env(params (string Name, string Value)[] variables) =>
        variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);

    private string FreshRoot() => Path.Combine(_temp.Path, "state-" + Guid.NewGuid().ToString("N"));

    private static ClaudeTaskRecord NewRecord(string id, DateTimeOffset? createdAt = null) => new()
    {
        Id = id,
        State = ClaudeTaskState.Queued,
        PromptPreview = "",
        WorkingDirectory = "/work",
        CreatedAt = createdAt ?? DateTimeOffset.UtcNow,
    };

    // ---- StateDirectory.Default ----

    [Fact]
    public void CLAUDE_CODE_MCP_STATE_DIR_wins_over_everything()
    {
        var explicitDir = Path.Combine(_temp.Path, "explicit");
        var env = Env(("CLAUDE_CODE_MCP_STATE_DIR", explicitDir), ("XDG_STATE_HOME", "/xdg"), ("HOME", "/home/me"));
        Assert.Equal(explicitDir, StateDirectory.Default(env));
    }

    [Fact]
    public void CLAUDE_CODE_MCP_STATE_DIR_is_made_a_full_path()
    {
        var env = Env(("CLAUDE_CODE_MCP_STATE_DIR", "relative/state"));
        Assert.Equal(Path.GetFullPath("relative/state"), StateDirectory.Default(env));
    }

    [LinuxFact]
    public void Blank_CLAUDE_CODE_MCP_STATE_DIR_is_ignored()
    {
        var env = Env(("CLAUDE_CODE_MCP_STATE_DIR", "  "), ("XDG_STATE_HOME", "/xdg/state"), ("HOME", "/home/me"));
        Assert.Equal("/xdg/state/claude-code-mcp", StateDirectory.Default(env));
    }

    [LinuxFact]
    public void XDG_STATE_HOME_is_used_on_Linux_when_set()
    {
        var env = Env(("XDG_STATE_HOME", "/xdg/state"), ("HOME", "/home/me"));
        Assert.Equal("/xdg/state/claude-code-mcp", StateDirectory.Default(env));
    }

    [LinuxFact]
    public void Home_local_state_is_used_on_Linux_without_XDG_STATE_HOME()
    {
        var env = Env(("HOME", "/home/me"));
        Assert.Equal("/home/me/.local/state/claude-code-mcp", StateDirectory.Default(env));
    }

    [LinuxFact]
    public void A_relative_XDG_STATE_HOME_is_ignored_as_the_spec_says()
    {
        var env = Env(("XDG_STATE_HOME", "relative/xdg"), ("HOME", "/home/me"));
        Assert.Equal("/home/me/.local/state/claude-code-mcp", StateDirectory.Default(env));
    }

    [LinuxFact]
    public void Empty_XDG_STATE_HOME_is_ignored()
    {
        var env = Env(("XDG_STATE_HOME", ""), ("HOME", "/home/me"));
        Assert.Equal("/home/me/.local/state/claude-code-mcp", StateDirectory.Default(env));
    }

    // ---- TaskStore on disk ----

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void Tasks_and_signals_folders_are_owner_only()
    {
        var store = new TaskStore(FreshRoot());
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(store.TasksDirectory));
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(store.SignalsDirectory));
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(store.Root));
        Assert.Equal(Path.Combine(store.Root, "tasks"), store.TasksDirectory);
        Assert.Equal(Path.Combine(store.Root, "signals"), store.SignalsDirectory);
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void Existing_loose_tasks_and_signals_folders_are_tightened_to_owner_only()
    {
        var root = FreshRoot();
        const UnixFileMode loose = OwnerOnlyDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        Directory.CreateDirectory(Path.Combine(root, "tasks"), loose);
        Directory.CreateDirectory(Path.Combine(root, "signals"), loose);
        File.SetUnixFileMode(Path.Combine(root, "tasks"), loose);
        File.SetUnixFileMode(Path.Combine(root, "signals"), loose);

        var store = new TaskStore(root);
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(store.TasksDirectory));
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(store.SignalsDirectory));
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void Record_prompt_and_task_folder_are_owner_only()
    {
        var store = new TaskStore(FreshRoot());
        var record = store.Create(id => NewRecord(id), "a secret prompt");
        var dir = store.TaskDirectory(record.Id);
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(dir));
        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(dir, "record.json")));
        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(dir, "prompt.txt")));

        store.Write(record with { State = ClaudeTaskState.Running }, notify: true);
        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(dir, "record.json")));
        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(store.SignalsDirectory, record.Id + ".changed")));
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void Logs_are_owner_only()
    {
        var store = new TaskStore(FreshRoot());
        var record = store.Create(id => NewRecord(id), "p");
        using (var log = store.CreateLog(store.StreamLogPath(record.Id))) log.WriteByte((byte)'x');
        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(store.StreamLogPath(record.Id)));
    }

    [Fact]
    public void Create_keeps_the_whole_prompt_and_a_one_line_preview()
    {
        var store = new TaskStore(FreshRoot());
        var prompt = "Fix   the\nbug\tin " + new string('x', 500);
        var record = store.Create(id => NewRecord(id), prompt);
        Assert.Equal(prompt, store.ReadPrompt(record.Id));
        Assert.StartsWith("Fix the bug in xxx", record.PromptPreview);
        Assert.True(record.PromptPreview.Length <= 201);
        Assert.EndsWith("…", record.PromptPreview);
        Assert.Equal(record, store.Read(record.Id)! with { PermissionDenials = record.PermissionDenials });
    }

    [Fact]
    public void Write_then_Read_round_trips_a_record_with_every_field_set()
    {
        var store = new TaskStore(FreshRoot());
        var id = TaskId.New();
        Directory.CreateDirectory(store.TaskDirectory(id));
        var created = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
        var record = new ClaudeTaskRecord
        {
            Id = id,
            Name = "nightly refactor",
            State = ClaudeTaskState.TimedOut,
            PromptPreview = "Refactor the parser",
            WorkingDirectory = "/src/repo",
            RequestedModel = "opus",
            Model = "claude-opus-4-1",
            PermissionMode = "acceptEdits",
            SkipPermissions = true,
            ResumeSessionId = "prev-session",
            TimeoutSeconds = 90.5,
            SessionId = "sess-123",
            CreatedAt = created,
            StartedAt = created.AddSeconds(1),
            EndedAt = created.AddSeconds(92),
            Result = "partial \"result\"\nwith newline ✓",
            Error = "The task ran past its timeout of 90.5 s and was stopped.",
            ResultSubtype = "error_during_execution",
            TerminalReason = "aborted_tools",
            ApiErrorStatus = 529,
            CostUsd = 0.1234,
            NumTurns = 7,
            DurationMs = 91_000_000_000L,
            ExitCode = 143,
            PermissionDenials =
            [
                new ClaudePermissionDenial("Bash", "toolu_1", """{"command":"rm -rf /"}"""),
                new ClaudePermissionDenial("Write", null, null),
            ],
            Activity = new ClaudeTaskActivity
            {
                Turns = 5,
                CurrentTool = "Bash",
                LastText = "Running tests",
                LastEventAt = created.AddSeconds(80),
            },
            Owner = new ProcessIdentity(1234, "98765"),
            Child = new ProcessIdentity(5678, "98766"),
            Unreadable = false,
        };

        store.Write(record, notify: false);
        var read = store.Read(id);

        Assert.NotNull(read);
        Assert.Equal(record.PermissionDenials, read.PermissionDenials);
        Assert.Equal(record, read with { PermissionDenials = record.PermissionDenials });
        Assert.Equal(created, read.CreatedAt);
        Assert.Equal(TimeSpan.Zero, read.CreatedAt.Offset);

        var json = File.ReadAllText(Path.Combine(store.TaskDirectory(id), "record.json"));
        Assert.Contains("\"state\":\"timed_out\"", json);
        Assert.Contains("\"prompt_preview\":", json);
        Assert.Contains("\"api_error_status\":529", json);
    }

    [Theory]
    [InlineData(ClaudeTaskState.Queued, "queued")]
    [InlineData(ClaudeTaskState.Running, "running")]
    [InlineData(ClaudeTaskState.Completed, "completed")]
    [InlineData(ClaudeTaskState.Failed, "failed")]
    [InlineData(ClaudeTaskState.Cancelled, "cancelled")]
    [InlineData(ClaudeTaskState.TimedOut, "timed_out")]
    public void Every_state_is_stored_by_its_wire_name_and_read_back(ClaudeTaskState state, string wire)
    {
        var store = new TaskStore(FreshRoot());
        var record = store.Create(id => NewRecord(id), "p") with { State = state };
        store.Write(record, notify: false);
        Assert.Contains($"\"state\":\"{wire}\"", File.ReadAllText(Path.Combine(store.TaskDirectory(record.Id), "record.json")));
        Assert.Equal(state, store.Read(record.Id)!.State);
    }

    [Fact]
    public void Write_replaces_the_record_and_leaves_no_temporary_files()
    {
        var store = new TaskStore(FreshRoot());
        var record = store.Create(id => NewRecord(id), "p");
        for (var i = 0; i < 5; i++) store.Write(record with { NumTurns = i }, notify: i % 2 == 0, durable: i == 4);
        Assert.Equal(4, store.Read(record.Id)!.NumTurns);
        Assert.Equal(
            ["prompt.txt", "record.json"],
            Directory.GetFiles(store.TaskDirectory(record.Id)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_garbled_record_reads_as_unreadable_failed_with_advice_to_remove_it()
    {
        var root = FreshRoot();
        var store = new TaskStore(root);
        var record = store.Create(id => NewRecord(id), "p");
        File.WriteAllBytes(Path.Combine(root, "tasks", record.Id, "record.json"),
            [0x7B, 0x22, 0xFF, 0x00, 0x13, 0x37, (byte)'g', (byte)'a', (byte)'r', (byte)'b']);

        var read = store.Read(record.Id);
        Assert.NotNull(read);
        Assert.True(read.Unreadable);
        Assert.Equal(record.Id, read.Id);
        Assert.Equal(ClaudeTaskState.Failed, read.State);
        Assert.Contains(record.Id, read.Error);
        Assert.Contains("could not be read", read.Error);
        Assert.Contains("Remove the task", read.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"id\":\"abcdefgh\",\"state\":\"exploded\",\"prompt_preview\":\"\",\"working_directory\":\"/\"}")]
    [InlineData("{\"state\":\"running\"}")]
    [InlineData("{\"id\":\"abcdefgh\",\"state\":\"running\",\"prompt_preview\":\"\",\"working_directory\":\"/\",\"num_turns\":\"x\"}")]
    public void Damaged_record_contents_read_as_unreadable(string contents)
    {
        var store = new TaskStore(FreshRoot());
        var record = store.Create(id => NewRecord(id), "p");
        File.WriteAllText(Path.Combine(store.TaskDirectory(record.Id), "record.json"), contents);

        var read = store.Read(record.Id);
        Assert.NotNull(read);
        Assert.True(read.Unreadable);
        Assert.Equal(ClaudeTaskState.Failed, read.State);
        Assert.Contains("Remove the task", read.Error);
    }

    [Fact]
    public void A_task_folder_without_a_record_reads_as_unreadable()
    {
        var store = new TaskStore(FreshRoot());
        var record = store.Create(id => NewRecord(id), "p");
        File.Delete(Path.Combine(store.TaskDirectory(record.Id), "record.json"));

        var read = store.Read(record.Id);
        Assert.NotNull(read);
        Assert.True(read.Unreadable);
        Assert.Contains("missing", read.Error!);
    }

    [Fact]
    public void List_still_returns_the_other_tasks_when_one_record_is_garbled()
    {
        var store = new TaskStore(FreshRoot());
        var now = DateTimeOffset.UtcNow;
        var older = store.Create(id => NewRecord(id, now.AddMinutes(-2)), "older");
        var garbled = store.Create(id => NewRecord(id, now.AddMinutes(-1)), "garbled");
        var newer = store.Create(id => NewRecord(id, now), "newer");
        File.WriteAllText(Path.Combine(store.TaskDirectory(garbled.Id), "record.json"), "{not json at all");

        var list = store.List();
        Assert.Equal(3, list.Count);
        Assert.Equal(newer.Id, list[0].Id);
        Assert.Equal(older.Id, list[1].Id);
        Assert.False(list[0].Unreadable);
        Assert.False(list[1].Unreadable);
        var bad = list.Single(r => r.Id == garbled.Id);
        Assert.True(bad.Unreadable);
    }

    [Fact]
    public void List_ignores_folders_that_are_not_task_ids()
    {
        var store = new TaskStore(FreshRoot());
        var task = store.Create(id => NewRecord(id), "p");
        Directory.CreateDirectory(Path.Combine(store.TasksDirectory, "not-a-task-id"));
        Directory.CreateDirectory(Path.Combine(store.TasksDirectory, "ABCDEFGH"));
        File.WriteAllText(Path.Combine(store.TasksDirectory, "stray.txt"), "x");

        Assert.Equal([task.Id], store.List().Select(r => r.Id));
    }

    [Fact]
    public void List_of_an_empty_store_is_empty()
    {
        Assert.Empty(new TaskStore(FreshRoot()).List());
    }

    [Fact]
    public void Read_of_a_valid_but_unknown_id_is_null()
    {
        var store = new TaskStore(FreshRoot());
        store.Create(id => NewRecord(id), "p");
        var unknown = TaskId.New();
        while (Directory.Exists(store.TaskDirectory(unknown))) unknown = TaskId.New();
        Assert.Null(store.Read(unknown));
        Assert.Null(store.ReadPrompt(unknown));
    }

    [Fact]
    public void A_record_whose_stored_id_differs_from_its_folder_takes_the_folder_id()
    {
        var store = new TaskStore(FreshRoot());
        var record = store.Create(id => NewRecord(id), "p");
        var path = Path.Combine(store.TaskDirectory(record.Id), "record.json");
        var other = record.Id == "abcdefgh" ? "hgfedcba" : "abcdefgh";
        File.WriteAllText(path, File.ReadAllText(path).Replace($"\"{record.Id}\"", $"\"{other}\""));
        Assert.Equal(record.Id, store.Read(record.Id)!.Id);
    }

    [Fact]
    public void Delete_forgets_the_task_and_its_signals()
    {
        var store = new TaskStore(FreshRoot());
        var record = store.Create(id => NewRecord(id), "p");
        store.RequestStop(record.Id);
        Assert.True(store.HasStopRequest(record.Id));

        store.Delete(record.Id);
        Assert.Null(store.Read(record.Id));
        Assert.False(store.HasStopRequest(record.Id));
        Assert.False(File.Exists(Path.Combine(store.SignalsDirectory, record.Id + ".changed")));
    }

    [Fact]
    public void Stop_requests_can_be_made_and_cleared()
    {
        var store = new TaskStore(FreshRoot());
        var record = store.Create(id => NewRecord(id), "p");
        Assert.False(store.HasStopRequest(record.Id));
        store.RequestStop(record.Id);
        Assert.True(store.HasStopRequest(record.Id));
        store.ClearStopRequest(record.Id);
        Assert.False(store.HasStopRequest(record.Id));
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public void A_state_folder_that_cannot_be_created_is_StateDirectoryUnavailable_with_advice()
    {
        var file = Path.Combine(_temp.Path, "a-file");
        File.WriteAllText(file, "not a folder");
        var error = Assert.Throws<ClaudeTaskException>(() => new TaskStore(Path.Combine(file, "state")));
        Assert.Equal(ClaudeErrorCode.StateDirectoryUnavailable, error.Code);
        Assert.Contains("writable", error.Message);
        Assert.Equal(ClaudeHint.ChooseStateDirectory, error.Hint);
    }

    [Fact]
    public void Prompt_is_stored_as_utf8_without_a_byte_order_mark()
    {
        var store = new TaskStore(FreshRoot());
        var record = store.Create(id => NewRecord(id), "héllo ✓");
        var bytes = File.ReadAllBytes(Path.Combine(store.TaskDirectory(record.Id), "prompt.txt"));
        Assert.Equal(Encoding.UTF8.GetBytes("héllo ✓"), bytes);
    }
}
