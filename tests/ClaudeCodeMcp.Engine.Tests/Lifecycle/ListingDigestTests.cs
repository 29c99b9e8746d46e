using System.Text;
using ClaudeCodeMcp.Engine.Store;
using ClaudeCodeMcp.Engine.Tests.Support;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

/// <summary>
/// The listing digest (<c>&lt;state&gt;/listing.digest</c>): a process's first listing of a large store takes finished
/// records from one file instead of one file each, but only while each record file is as it was when copied. Whatever
/// is wrong with the digest, every record is still listed as its own file says.
/// </summary>
public sealed class ListingDigestTests
{
    /// <summary>Enough finished tasks for a listing to write the digest.</summary>
    private const int Tasks = ListingDigest.RewriteThreshold + 6;

    [Fact]
    public async Task A_new_process_lists_from_the_digest_until_a_record_file_changes()
    {
        await using var sandbox = new Sandbox();
        var ids = MakeSettledStore(sandbox.StateDir);
        Assert.Equal(Tasks, new TaskStore(sandbox.StateDir).List().Count);
        var digest = Path.Combine(sandbox.StateDir, ListingDigest.FileName);
        Assert.Equal(Tasks, File.ReadAllLines(digest).Length);

        // The copy is what a new process lists while the record file is untouched (same length, so the line still fits).
        File.WriteAllText(digest, File.ReadAllText(digest).Replace("answer-05", "ANSWER-05"));
        Assert.Equal("ANSWER-05", Listed(sandbox.StateDir, ids[5]).Result);

        // The record is written again (the same length, even): its file's times move, the record file wins.
        var store = new TaskStore(sandbox.StateDir);
        store.Write(store.Read(ids[5])! with { Result = "answer-5b" }, notify: false);
        Assert.Equal("answer-5b", Listed(sandbox.StateDir, ids[5]).Result);
    }

    [Fact]
    public async Task A_removed_task_leaves_no_copy_behind_and_is_not_listed()
    {
        await using var sandbox = new Sandbox();
        var ids = MakeSettledStore(sandbox.StateDir);
        new TaskStore(sandbox.StateDir).List();
        var digest = Path.Combine(sandbox.StateDir, ListingDigest.FileName);
        Assert.Contains("answer-01", File.ReadAllText(digest));

        new TaskStore(sandbox.StateDir).Delete(ids[1]);
        Assert.DoesNotContain(Directory.EnumerateFiles(sandbox.StateDir, "*", SearchOption.AllDirectories),
            file => File.ReadAllText(file).Contains("answer-01"));

        // The next listing writes the digest again, without the removed task.
        var listed = new TaskStore(sandbox.StateDir).List();
        Assert.Equal(ids.Where(id => id != ids[1]).Order(), listed.Select(r => r.Id).Order());
        Assert.Equal(Tasks - 1, File.ReadAllLines(digest).Length);
    }

    [Fact]
    public async Task Tasks_removed_by_hand_since_the_digest_was_written_are_not_listed()
    {
        await using var sandbox = new Sandbox();
        var ids = MakeSettledStore(sandbox.StateDir);
        new TaskStore(sandbox.StateDir).List();
        foreach (var id in ids.Take(3)) Directory.Delete(Path.Combine(sandbox.StateDir, TaskStore.TasksFolder, id), recursive: true);

        var listed = new TaskStore(sandbox.StateDir).List();
        Assert.Equal(ids.Skip(3).Order(), listed.Select(r => r.Id).Order());
    }

    [Fact]
    public async Task Records_written_in_the_last_moments_are_not_copied_until_they_settle()
    {
        await using var sandbox = new Sandbox();
        var store = new TaskStore(sandbox.StateDir);
        for (var i = 0; i < Tasks; i++) Make(store, i);
        new TaskStore(sandbox.StateDir).List();
        Assert.False(File.Exists(Path.Combine(sandbox.StateDir, ListingDigest.FileName)));

        Thread.Sleep(ListingDigest.Settled + TimeSpan.FromMilliseconds(200));
        new TaskStore(sandbox.StateDir).List();
        Assert.Equal(Tasks, File.ReadAllLines(Path.Combine(sandbox.StateDir, ListingDigest.FileName)).Length);
    }

    public static TheoryData<string> Damage() =>
    [
        "garbage", "cut short", "every size wrong", "JSON broken, size kept", "another task's record", "a link", "a FIFO", "300 MB",
    ];

    [Theory]
    [MemberData(nameof(Damage))]
    public async Task A_damaged_digest_costs_no_record_and_never_blocks(string damage)
    {
        await using var sandbox = new Sandbox();
        var ids = MakeSettledStore(sandbox.StateDir);
        new TaskStore(sandbox.StateDir).List();
        var digest = Path.Combine(sandbox.StateDir, ListingDigest.FileName);
        var text = File.ReadAllText(digest);
        // Every copy says something no record file says, so a copy that slipped through would show.
        text = text.Replace("answer-", "COPIED-");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        File.Delete(digest);
        switch (damage)
        {
            case "garbage":
                File.WriteAllBytes(digest, [0xFF, 0x00, 0x0A, 0x20, 0x7B]);
                break;
            case "cut short":
                File.WriteAllText(digest, string.Join('\n', lines.Select(l => l[..^10])));
                break;
            case "every size wrong":
                File.WriteAllText(digest, string.Join('\n', lines.Select(l => l.Insert(l.IndexOf(' ') + 1, "1"))));
                break;
            case "JSON broken, size kept":
                File.WriteAllText(digest, string.Join('\n', lines.Select(l => l.Replace("{\"id\"", "[\"id\""))));
                break;
            case "another task's record":
                // Each line keeps its own id and stamp but holds the next task's record: the id inside must match too.
                File.WriteAllText(digest, string.Join('\n', lines.Select((l, i) => Swap(l, lines[(i + 1) % lines.Length]))));
                break;
            case "a link":
                var elsewhere = Path.Combine(sandbox.Root, "elsewhere.digest");
                File.WriteAllText(elsewhere, text);
                File.CreateSymbolicLink(digest, elsewhere);
                break;
            case "a FIFO":
                OddRecordTests.MakeFifo(digest);
                break;
            case "300 MB":
                using (var huge = File.Create(digest))
                {
                    huge.Write(Encoding.UTF8.GetBytes(text));
                    huge.SetLength(300L * 1024 * 1024);
                }
                break;
        }

        var listed = new TaskStore(sandbox.StateDir).List();
        Assert.Equal(ids.Order(), listed.Select(r => r.Id).Order());
        Assert.All(listed, r => Assert.StartsWith("answer-", r.Result));
        Assert.All(listed, r => Assert.False(r.Unreadable, r.Error));
    }

    /// <summary><paramref name="line"/>'s id and stamp with <paramref name="other"/>'s record, the size made to fit.</summary>
    private static string Swap(string line, string other)
    {
        var json = other[(Nth(other, ' ', 4) + 1)..];
        var head = line[..Nth(line, ' ', 4)].Split(' ');
        return $"{head[0]} {Encoding.UTF8.GetByteCount(json)} {head[2]} {head[3]} {json}";
    }

    private static int Nth(string text, char c, int n)
    {
        var at = -1;
        for (var i = 0; i < n; i++) at = text.IndexOf(c, at + 1);
        return at;
    }

    private static ClaudeTaskRecord Listed(string stateDir, string id) => Assert.Single(new TaskStore(stateDir).List(), r => r.Id == id);

    /// <summary>A store of finished tasks whose record files have settled, so a listing may copy them.</summary>
    private static List<string> MakeSettledStore(string stateDir)
    {
        var store = new TaskStore(stateDir);
        var ids = Enumerable.Range(0, Tasks).Select(i => Make(store, i)).ToList();
        Thread.Sleep(ListingDigest.Settled + TimeSpan.FromMilliseconds(200));
        return ids;
    }

    private static string Make(TaskStore store, int i)
    {
        var now = DateTimeOffset.UtcNow;
        return store.Create(id => new ClaudeTaskRecord
        {
            Id = id,
            State = ClaudeTaskState.Completed,
            PromptPreview = "",
            WorkingDirectory = "/",
            CreatedAt = now.AddSeconds(i),
            StartedAt = now,
            EndedAt = now,
            Result = $"answer-{i:00}",
        }, $"prompt {i}").Id;
    }
}
