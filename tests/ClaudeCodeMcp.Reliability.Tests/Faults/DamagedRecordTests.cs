using System.Text;
using System.Text.Json;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Store;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;
using ClaudeCodeMcp.Reliability.Tests.Support;

namespace ClaudeCodeMcp.Reliability.Tests.Faults;

/// <summary>
/// Records damaged on disk (a crash mid-write on a file system without atomic rename, a full disk, a user's
/// editor, bit rot) or odd (a FIFO, a link, a 100 MB file, a null where a value belongs): each damaged task is reported
/// unreadable and every other task still lists; a record that only has a null list reads whole.
/// </summary>
public sealed class DamagedRecordTests
{
    /// <summary>Every kind of damage tried: a name and what to do to the task's folder.</summary>
    public static readonly (string Kind, Action<string> Damage)[] Damages =
    [
        ("truncated", dir => Truncate(Path.Combine(dir, "record.json"))),
        ("empty", dir => File.WriteAllBytes(Path.Combine(dir, "record.json"), [])),
        ("zero-filled", dir => File.WriteAllBytes(Path.Combine(dir, "record.json"), new byte[4096])),
        ("random bytes", dir => File.WriteAllBytes(Path.Combine(dir, "record.json"), RandomBytes(2048))),
        ("json null", dir => File.WriteAllText(Path.Combine(dir, "record.json"), "null")),
        ("json array", dir => File.WriteAllText(Path.Combine(dir, "record.json"), "[1,2,3]")),
        ("json string", dir => File.WriteAllText(Path.Combine(dir, "record.json"), "\"completed\"")),
        ("empty object", dir => File.WriteAllText(Path.Combine(dir, "record.json"), "{}")),
        ("unknown state", dir => Edit(dir, json => json.Replace("\"completed\"", "\"exploded\""))),
        ("wrong type", dir => Edit(dir, json => json.Replace("\"created_at\":\"", "\"created_at\":5,\"x\":\""))),
        ("overflowing number", dir => Edit(dir, json => json.Replace("{", "{\"exit_code\":1e999,"))),
        ("invalid utf-8 in a string", dir => InvalidUtf8(Path.Combine(dir, "record.json"))),
        ("deep nesting", dir => File.WriteAllText(Path.Combine(dir, "record.json"), new string('[', 100_000) + new string(']', 100_000))),
        ("missing", dir => File.Delete(Path.Combine(dir, "record.json"))),
        ("a folder", dir =>
        {
            File.Delete(Path.Combine(dir, "record.json"));
            Directory.CreateDirectory(Path.Combine(dir, "record.json"));
        }),
        ("a dangling link", dir =>
        {
            File.Delete(Path.Combine(dir, "record.json"));
            File.CreateSymbolicLink(Path.Combine(dir, "record.json"), Path.Combine(dir, "nowhere"));
        }),
        ("a link loop", dir =>
        {
            File.Delete(Path.Combine(dir, "record.json"));
            File.CreateSymbolicLink(Path.Combine(dir, "record.json"), Path.Combine(dir, "record.json"));
        }),
        ("a link to a good record outside the store", dir =>
        {
            var outside = Path.GetFullPath(Path.Combine(dir, "..", "..", "..", Path.GetFileName(dir) + "-outside.json"));
            File.Move(Path.Combine(dir, "record.json"), outside);
            File.CreateSymbolicLink(Path.Combine(dir, "record.json"), outside);
        }),
        ("a FIFO", dir =>
        {
            File.Delete(Path.Combine(dir, "record.json"));
            Assert.Equal(0, Native.Run("mkfifo", Path.Combine(dir, "record.json")).Code);
        }),
        ("a 100 MB file", dir =>
        {
            using var file = new FileStream(Path.Combine(dir, "record.json"), FileMode.Truncate);
            file.SetLength(100_000_000);
        }),
        ("working_directory null", dir => Edit(dir, json => json.Replace("\"working_directory\":", "\"working_directory\":null,\"was\":"))),
    ];

    /// <summary>Odd shapes that read whole (a null list is empty, nulls in a list are dropped): a name and the change.</summary>
    public static readonly (string Kind, Action<string> Change)[] Mended =
    [
        ("permission_denials null", dir => Edit(dir, json => json.Replace("{", "{\"permission_denials\":null,"))),
        ("permission_denials [null]", dir => Edit(dir, json => json.Replace("{", "{\"permission_denials\":[null],"))),
    ];

    [Fact]
    public async Task Every_damaged_record_is_unreadable_and_every_other_task_still_lists_in_the_engine()
    {
        await using var sandbox = new Sandbox();
        var (good, damaged) = Populate(sandbox);

        var manager = sandbox.Manager(); // starting on a damaged store works
        var listed = await Task.Run(manager.List).WaitAsync(TimeSpan.FromSeconds(60)); // a FIFO once hung it

        Assert.Equal(good.Count + damaged.Count, listed.Count);
        foreach (var (id, kind) in damaged)
        {
            var record = Assert.Single(listed, r => r.Id == id);
            Assert.True(record.Unreadable, $"{kind}: should be unreadable");
            Assert.Equal(ClaudeTaskState.Failed, record.State);
            Assert.Contains("could not be read", record.Error);
            Assert.True(manager.Get(id)!.Unreadable, kind);
            Assert.True((await manager.StopAsync(id)).Unreadable, kind);
            Assert.Equal(id, (await manager.WaitAsync([id]))[0].Id);
        }
        foreach (var (id, result) in good)
        {
            var record = Assert.Single(listed, r => r.Id == id);
            Assert.False(record.Unreadable, record.Error);
            Assert.Equal(result, record.Result);
            Assert.Empty(record.PermissionDenials);
        }
        // A damaged task can be removed, and the store is clean again.
        foreach (var (id, _) in damaged) await manager.RemoveAsync(id);
        Assert.Equal(good.Keys.Order(), manager.List().Select(r => r.Id).Order());
        Assert.DoesNotContain(manager.List(), r => r.Unreadable);
    }

    [Fact]
    public async Task Over_mcp_the_list_tool_lists_damaged_tasks_as_unreadable_with_every_other_task()
    {
        await using var sandbox = new Sandbox();
        var (good, damaged) = Populate(sandbox);
        await using var host = await StdioHost.StartAsync(sandbox);

        var list = await host.CallToolAsync("claude_code_list_tasks", new { });

        Assert.False(list.IsError(), list.Text());
        var tasks = list.StructuredContent().GetProperty("tasks").EnumerateArray().ToDictionary(t => t.GetProperty("task_id").GetString()!);
        Assert.Equal(good.Count + damaged.Count, tasks.Count);
        foreach (var (id, result) in good)
        {
            Assert.Equal("completed", tasks[id].GetProperty("status").GetString());
            Assert.Equal(result, tasks[id].GetProperty("result").GetString());
            var check = await host.CallToolAsync("claude_code_check_result", new { task_id = id });
            Assert.False(check.IsError(), check.Text());
            Assert.Equal(result, check.StructuredContent().GetProperty("result").GetString());
        }
        var goodWait = await host.CallToolAsync("claude_code_wait", new { task_ids = good.Keys.ToArray(), timeout = 5 });
        Assert.False(goodWait.IsError(), goodWait.Text());
        Assert.Equal(good.Count, goodWait.StructuredContent().GetProperty("tasks").GetArrayLength());
        foreach (var (id, kind) in damaged)
        {
            Assert.Equal("failed", tasks[id].GetProperty("status").GetString());
            Assert.Contains("could not be read", tasks[id].GetProperty("error").GetString());
            foreach (var tool in new[] { "claude_code_check_result", "claude_code_cancel", "claude_code_get_output" })
            {
                var answer = await host.CallToolAsync(tool, new { task_id = id });
                Assert.True(answer.IsError() ? answer.Text().Length > 0 : answer.StructuredContent().GetProperty("task_id").GetString() == id, $"{kind} {tool}: {answer}");
            }
        }
        var waited = await host.CallToolAsync("claude_code_wait", new { task_ids = damaged.Keys.ToArray(), timeout = 5 });
        Assert.False(waited.IsError(), waited.Text());
        Assert.Equal(damaged.Count, waited.StructuredContent().GetProperty("tasks").GetArrayLength());
        var failed = await host.CallToolAsync("claude_code_list_tasks", new { status = "failed" });
        Assert.Equal(damaged.Count, failed.StructuredContent().GetProperty("tasks").GetArrayLength());
        host.AssertOnlyJsonRpc();
    }

    /// <summary>Three good finished tasks and one damaged task per kind, written straight into the store.</summary>
    private static (Dictionary<string, string> Good, Dictionary<string, string> Damaged) Populate(Sandbox sandbox)
    {
        var store = new TaskStore(sandbox.StateDir);
        string Finished(string result) => FinishedRecord.Write(store, sandbox.WorkDir, result);
        var good = Enumerable.Range(0, 3).ToDictionary(i => Finished($"good {i}"), i => $"good {i}");
        foreach (var (kind, change) in Mended)
        {
            var id = Finished(kind);
            change(store.TaskDirectory(id));
            good[id] = kind;
        }
        var damaged = new Dictionary<string, string>();
        foreach (var (kind, damage) in Damages)
        {
            var id = Finished(kind);
            damage(store.TaskDirectory(id));
            damaged[id] = kind;
        }
        // Strays in the tasks folder are not tasks and disturb nothing.
        File.WriteAllText(Path.Combine(store.TasksDirectory, "abcdefgh"), "a file where a task folder would be");
        Directory.CreateDirectory(Path.Combine(store.TasksDirectory, "not-a-task-id"));
        Directory.CreateDirectory(Path.Combine(store.TasksDirectory, ".hidden"));
        return (good, damaged);
    }

    private static void Truncate(string path)
    {
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
    }

    private static void Edit(string dir, Func<string, string> change)
    {
        var path = Path.Combine(dir, "record.json");
        var before = File.ReadAllText(path);
        var after = change(before);
        Assert.NotEqual(before, after);
        File.WriteAllText(path, after);
    }

    private static void InvalidUtf8(string path)
    {
        var bytes = File.ReadAllBytes(path).ToList();
        var at = Encoding.UTF8.GetString([.. bytes]).IndexOf("\"result\":\"", StringComparison.Ordinal);
        Assert.True(at > 0);
        bytes.InsertRange(at + "\"result\":\"".Length, [0xC3, 0x28, 0xFF]);
        File.WriteAllBytes(path, [.. bytes]);
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    internal static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
