using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using ClaudeCodeMcp.Engine.Processes;
using ClaudeCodeMcp.Engine.Store;
using CsCheck;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

/// <summary>
/// Generated odd records (any field of a full record, nested ones included, made null, <c>[null]</c>, the wrong type, an
/// overflowing number, or left out) beside a good one: reading never throws, the good record always answers, and the
/// odd one is either unreadable with the reason or whole: no null where its types promise a value, no null in a list,
/// every property readable, and written back it reads whole again (recovery writes records back).
/// </summary>
public sealed class StoredRecordFuzzTests : IDisposable
{
    private static readonly string[] OddValues =
    [
        "null", "[null]", "[]", "{}", "[[null]]", """{"x":null}""", "\"\"", "\"x\"", "0", "-1", "2147483648", "1.5", "1e999",
        "true", "false", """[{"tool_name":null}]""", """{"pid":null,"start_time":null}""", "\"running\"", "\"2026-13-45\"",
    ];

    private readonly UnitTempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Any_odd_record_reads_as_unreadable_or_whole_and_never_disturbs_the_good_one()
    {
        var root = Path.Combine(_temp.Path, "state");
        var store = new TaskStore(root);
        var good = store.Create(id => Full(id) with { Result = "good" }, "good").Id;
        var odd = store.Create(Full, "odd").Id;
        var baseJson = File.ReadAllText(RecordPath(store, odd));
        var slots = Slots(JsonNode.Parse(baseJson)!, []).ToArray();
        var mutation = Gen.Select(Gen.Int[0, slots.Length - 1], Gen.Int[0, OddValues.Length]); // the last: left out
        var gen = mutation.Array[1, 4].Select(changes => Mutate(baseJson, slots, changes));
        var outcomes = new int[2];

        gen.Sample(json =>
        {
            File.WriteAllText(RecordPath(store, odd), json);
            var fresh = new TaskStore(root); // no cache: every sample is read from disk
            var read = fresh.Read(odd)!;
            var listed = fresh.List();

            Assert.Equal("good", Assert.Single(listed, r => r.Id == good).Result);
            Assert.Equal(read.Unreadable, Assert.Single(listed, r => r.Id == odd).Unreadable);
            outcomes[read.Unreadable ? 1 : 0]++;
            if (read.Unreadable)
            {
                Assert.Contains("could not be read", read.Error);
                return;
            }
            AssertWhole(read, "record");
            fresh.Write(read, notify: false);
            var again = new TaskStore(root).Read(odd)!;
            Assert.False(again.Unreadable, again.Error);
            AssertWhole(again, "record written back");
        }, iter: 400, threads: 1, print: json => json);

        Assert.True(outcomes[0] > 0 && outcomes[1] > 0, $"whole {outcomes[0]}, unreadable {outcomes[1]}: the generator should reach both");
    }

    /// <summary>Every value the record's types promise is there, lists hold no null, and every property can be read.</summary>
    private static void AssertWhole(object value, string path)
    {
        var nullability = new NullabilityInfoContext();
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0) continue;
            var name = $"{path}.{property.Name}";
            var item = property.GetValue(value); // computed properties too: none may throw
            if (item is null)
            {
                Assert.True(nullability.Create(property).ReadState != NullabilityState.NotNull, $"{name} is null");
                continue;
            }
            if (item is string || !IsOurs(item.GetType()) && item is not IEnumerable) continue;
            if (item is IEnumerable list)
            {
                var i = 0;
                foreach (var element in list)
                {
                    Assert.True(element is not null, $"{name}[{i}] is null");
                    if (IsOurs(element.GetType())) AssertWhole(element, $"{name}[{i}]");
                    i++;
                }
                continue;
            }
            AssertWhole(item, name);
        }
    }

    private static bool IsOurs(Type type) => !type.IsEnum && type.Namespace?.StartsWith("ClaudeCodeMcp.", StringComparison.Ordinal) == true;

    /// <summary>Every place in the JSON a value sits: object members and array items, nested ones included.</summary>
    private static IEnumerable<object[]> Slots(JsonNode node, object[] path)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o)
                {
                    object[] here = [.. path, name];
                    yield return here;
                    if (child is not null) foreach (var deeper in Slots(child, here)) yield return deeper;
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    object[] here = [.. path, i];
                    yield return here;
                    if (a[i] is { } child) foreach (var deeper in Slots(child, here)) yield return deeper;
                }
                break;
        }
    }

    private static string Mutate(string json, object[][] slots, (int Slot, int Value)[] changes)
    {
        var root = JsonNode.Parse(json)!;
        foreach (var (slot, value) in changes)
        {
            var path = slots[slot];
            JsonNode? parent = root;
            foreach (var step in path[..^1]) parent = step is string name ? (parent as JsonObject)?[name] : (parent as JsonArray) is { } a && (int)step < a.Count ? a[(int)step] : null;
            var odd = value < OddValues.Length ? JsonNode.Parse(OddValues[value]) : null;
            switch (parent, path[^1])
            {
                case (JsonObject o, string name) when value == OddValues.Length:
                    o.Remove(name);
                    break;
                case (JsonObject o, string name):
                    o[name] = odd;
                    break;
                case (JsonArray a, int index) when index < a.Count && value == OddValues.Length:
                    a.RemoveAt(index);
                    break;
                case (JsonArray a, int index) when index < a.Count:
                    a[index] = odd;
                    break;
            }
        }
        return root.ToJsonString();
    }

    private static string RecordPath(TaskStore store, string id) => Path.Combine(store.TaskDirectory(id), "record.json");

    /// <summary>A finished record with every field set, nested ones and lists included.</summary>
    private static ClaudeTaskRecord Full(string id)
    {
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        return new ClaudeTaskRecord
        {
            Id = id,
            Name = "fuzzed",
            State = ClaudeTaskState.Completed,
            PromptPreview = "odd",
            WorkingDirectory = "/src/repo",
            RequestedModel = "opus",
            Model = "claude-opus",
            PermissionMode = "acceptEdits",
            ResumeSessionId = "prev",
            TimeoutSeconds = 90.5,
            SessionId = "sess",
            CreatedAt = at,
            StartedAt = at.AddSeconds(1),
            EndedAt = at.AddSeconds(9),
            Result = "odd",
            Error = "none",
            ResultSubtype = "success",
            TerminalReason = "done",
            ApiErrorStatus = 529,
            CostUsd = 0.25,
            NumTurns = 3,
            DurationMs = 8000,
            ExitCode = 0,
            PermissionDenials = [new ClaudePermissionDenial("Bash", "toolu_1", "{}"), new ClaudePermissionDenial("Write", null, null)],
            Usage = new ClaudeTokenUsage { InputTokens = 1, OutputTokens = 2, CacheReadInputTokens = 3, CacheCreationInputTokens = 4 },
            Activity = new ClaudeTaskActivity { Turns = 2, CurrentTool = "Bash", LastText = "hi", LastEventAt = at, Waiting = "slot" },
            Worktree = new ClaudeTaskWorktree
            {
                Repository = "/src/repo",
                Path = "/state/worktrees/x/repo",
                Branch = "claude-task/x",
                BaseRef = "HEAD",
                BaseCommit = "0123456789abcdef",
                HeadCommit = "fedcba9876543210",
                CommitsAhead = 1,
                ChangedFiles = ["a.txt", "b.txt"],
                ChangedFileCount = 2,
                UncommittedFiles = ["c.txt"],
                UncommittedFileCount = 1,
                Problem = "none",
            },
            Depth = 1,
            Owner = new ProcessIdentity(1234, "98765"),
            Child = new ProcessIdentity(5678, "98766"),
        };
    }
}
