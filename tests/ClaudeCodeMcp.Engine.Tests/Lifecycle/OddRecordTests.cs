using System.Diagnostics;
using System.Text.Json.Nodes;
using ClaudeCodeMcp.Engine.Store;
using ClaudeCodeMcp.Engine.Tests.Support;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

/// <summary>
/// Odd records beside good ones: nulls where lists or values belong, a FIFO, a link, a 100 MB file. Each odd record is
/// either made whole (a null list is empty, nulls in a list are dropped) or listed as unreadable with the reason, and
/// never breaks list, get or wait for the others; recovery never writes a broken record back. The review found one
/// <c>"permission_denials": null</c> broke list, wait and check for the whole store, and a FIFO hung them.
/// </summary>
public sealed class OddRecordTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    /// <summary>Odd shapes the store makes whole: the record reads, with these denials.</summary>
    public static TheoryData<string, string, string[]> Mended => new()
    {
        { "permission_denials null", """{"permission_denials":null}""", [] },
        { "permission_denials [null]", """{"permission_denials":[null]}""", [] },
        { "a null denial beside a real one", """{"permission_denials":[null,{"tool_name":"Bash"}]}""", ["Bash"] },
        { "a denial without a tool name", """{"permission_denials":[{"tool_name":null},{"tool_use_id":"x"}]}""", [] },
    };

    [Theory]
    [MemberData(nameof(Mended))]
    public async Task A_record_with_null_lists_reads_whole_and_every_other_task_still_answers(string kind, string patch, string[] denials)
    {
        await using var sandbox = new Sandbox();
        var store = new TaskStore(sandbox.StateDir);
        var good = Finished(store, sandbox, "good");
        var odd = Finished(store, sandbox, kind);
        Patch(store, odd, patch);
        var manager = sandbox.Manager();

        var listed = await Task.Run(manager.List).WaitAsync(Hang);

        var read = Assert.Single(listed, r => r.Id == odd);
        Assert.False(read.Unreadable, read.Error);
        Assert.Equal(denials, read.PermissionDenials.Select(d => d.ToolName));
        Assert.Equal(kind, read.Result);
        Assert.Equal("good", Assert.Single(listed, r => r.Id == good).Result);
        Assert.Equal(denials, manager.Get(odd)!.PermissionDenials.Select(d => d.ToolName));
        Assert.Equal([odd, good], (await manager.WaitAsync([odd, good]).WaitAsync(Hang)).Select(r => r.Id));
    }

    /// <summary>Odd shapes that leave a record unreadable: a kind, what to do to the task's folder, and what the reason names.</summary>
    private static readonly (string Kind, Action<TaskStore, string, Sandbox> Damage, string Says)[] Unreadable =
    [
        ("working_directory null", (store, id, _) => Patch(store, id, """{"working_directory":null}"""), "working_directory"),
        ("prompt_preview null", (store, id, _) => Patch(store, id, """{"prompt_preview":null}"""), "prompt_preview"),
        ("owner without a start time", (store, id, _) => Patch(store, id, """{"owner":{"pid":1}}"""), "owner.start_time"),
        ("worktree without a branch", (store, id, _) => Patch(store, id,
            """{"worktree":{"repository":"/r","path":"/w","branch":null,"base_ref":"HEAD","base_commit":"abc"}}"""), "worktree.branch"),
        ("an infinite cost", (store, id, _) => Patch(store, id, """{"cost_usd":1e999}"""), "cost_usd is not a finite number"),
        ("a FIFO", (store, id, _) => MakeFifo(RecordPath(store, id)), "FIFO"),
        ("a link to a good record outside the store", (store, id, sandbox) =>
        {
            var outside = sandbox.File("outside-record.json");
            File.Copy(RecordPath(store, id), outside);
            File.Delete(RecordPath(store, id));
            File.CreateSymbolicLink(RecordPath(store, id), outside);
        }, "symbolic link"),
        ("a 100 MB file", (store, id, _) =>
        {
            using var file = new FileStream(RecordPath(store, id), FileMode.Truncate);
            file.SetLength(100_000_000);
        }, "95.4 MiB"),
    ];

    [Fact]
    public async Task Unreadable_records_are_listed_with_the_reason_and_every_other_task_still_answers()
    {
        await using var sandbox = new Sandbox();
        var store = new TaskStore(sandbox.StateDir);
        var good = Enumerable.Range(0, 2).Select(i => Finished(store, sandbox, $"good {i}")).ToList();
        var odd = new Dictionary<string, (string Kind, string Says)>();
        foreach (var (kind, damage, says) in Unreadable)
        {
            var id = Finished(store, sandbox, kind);
            damage(store, id, sandbox);
            odd[id] = (kind, says);
        }
        var manager = sandbox.Manager();

        var listed = await Task.Run(manager.List).WaitAsync(Hang);

        Assert.Equal(good.Count + odd.Count, listed.Count);
        foreach (var (id, (kind, says)) in odd)
        {
            var record = Assert.Single(listed, r => r.Id == id);
            Assert.True(record.Unreadable, $"{kind}: should be unreadable");
            Assert.Contains("could not be read", record.Error);
            Assert.Contains(says, record.Error);
            Assert.True(manager.Get(id)!.Unreadable, kind);
        }
        foreach (var (id, i) in good.Select((id, i) => (id, i))) Assert.Equal($"good {i}", Assert.Single(listed, r => r.Id == id).Result);
        var waited = await manager.WaitAsync([.. odd.Keys, .. good]).WaitAsync(Hang);
        Assert.Equal(odd.Count + good.Count, waited.Count);
    }

    [Theory]
    [InlineData("""{"permission_denials":null}""")]
    [InlineData("""{"permission_denials":[null]}""")]
    [InlineData("""{"unreadable":true,"error":"a file cannot declare itself unreadable"}""")]
    [InlineData("""{"worktree":{"repository":"/r","path":"/w","branch":"b","base_ref":"HEAD","base_commit":"abc","changed_files":[null,"a.txt"],"uncommitted_files":null}}""")]
    public async Task Recovery_of_a_dead_owners_task_writes_back_a_whole_record(string patch)
    {
        await using var sandbox = new Sandbox();
        var task = DeadOwnerRecord.Write(sandbox, ClaudeTaskState.Running, child: null);
        var store = new TaskStore(sandbox.StateDir);
        Patch(store, task.Id, patch);

        var recovered = sandbox.Manager().Get(task.Id)!;

        Assert.Equal(ClaudeTaskState.Failed, recovered.State);
        var json = JsonNode.Parse(File.ReadAllText(RecordPath(store, task.Id)))!.AsObject();
        Assert.Equal("failed", json["state"]!.GetValue<string>());
        AssertNoNullInLists(json);
        var reread = new TaskStore(sandbox.StateDir).Read(task.Id)!;
        Assert.False(reread.Unreadable, reread.Error);
        Assert.NotNull(reread.PermissionDenials);
    }

    [Theory]
    [InlineData("""{"working_directory":null,"permission_denials":[null]}""", "working_directory")]
    [InlineData("""{"cost_usd":1e999}""", "cost_usd")] // read as infinity, which cannot be written back: the list threw
    public async Task Recovery_leaves_an_unreadable_record_as_it_is_and_the_list_answers(string patch, string says)
    {
        await using var sandbox = new Sandbox();
        var task = DeadOwnerRecord.Write(sandbox, ClaudeTaskState.Running, child: null);
        var good = Finished(new TaskStore(sandbox.StateDir), sandbox, "good");
        var store = new TaskStore(sandbox.StateDir);
        Patch(store, task.Id, patch);
        var before = File.ReadAllBytes(RecordPath(store, task.Id));

        var manager = sandbox.Manager();
        var listed = manager.List();
        var read = manager.Get(task.Id)!;

        Assert.True(read.Unreadable);
        Assert.Contains(says, read.Error);
        Assert.Equal("good", Assert.Single(listed, r => r.Id == good).Result);
        Assert.Equal(before, File.ReadAllBytes(RecordPath(store, task.Id)));
    }

    [Theory]
    [InlineData("fifo", "FIFO")]
    [InlineData("link", "symbolic link")]
    public async Task An_output_log_that_is_no_regular_file_is_refused_with_what_it_is_never_waited_on_or_followed(string kind, string says)
    {
        await using var sandbox = new Sandbox();
        var store = new TaskStore(sandbox.StateDir);
        var id = Finished(store, sandbox, "done");
        var log = store.StreamLogPath(id);
        File.Delete(log);
        if (kind == "fifo") MakeFifo(log);
        else
        {
            var outside = sandbox.File("outside.jsonl");
            File.WriteAllText(outside, """{"type":"assistant","message":{"content":[{"type":"text","text":"read through the link"}]}}""" + "\n");
            File.CreateSymbolicLink(log, outside);
        }
        var manager = sandbox.Manager();

        var transcript = await Assert.ThrowsAsync<ClaudeTaskException>(() => Task.Run(() => manager.ReadTranscript(id)).WaitAsync(Hang));
        var events = await Assert.ThrowsAsync<ClaudeTaskException>(() => Task.Run(() => manager.ReadEvents(id).ToList()).WaitAsync(Hang));

        foreach (var refused in new[] { transcript, events })
        {
            Assert.Contains(says, refused.Message);
            Assert.Contains(log, refused.Message);
            Assert.DoesNotContain("read through the link", refused.Message);
        }
        Assert.Equal("done", manager.Get(id)!.Result); // the record itself still answers
    }

    private static void AssertNoNullInLists(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, value) in o) AssertNoNullInLists(value);
                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Assert.NotNull(item);
                    AssertNoNullInLists(item);
                }
                break;
        }
    }

    private static string Finished(TaskStore store, Sandbox sandbox, string result) => FinishedRecord.Write(store, sandbox.WorkDir, result);

    private static string RecordPath(TaskStore store, string id) => Path.Combine(store.TaskDirectory(id), "record.json");

    /// <summary>Sets the fields of <paramref name="patch"/> in the record as it is on disk.</summary>
    internal static void Patch(TaskStore store, string id, string patch)
    {
        var path = RecordPath(store, id);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        foreach (var (name, value) in JsonNode.Parse(patch)!.AsObject()) json[name] = value?.DeepClone();
        File.WriteAllText(path, json.ToJsonString());
    }

    internal static void MakeFifo(string path)
    {
        File.Delete(path);
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
