using ClaudeCodeMcp.Engine.Store;
using Xunit;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

public sealed class TaskIdTests : IDisposable
{
    private readonly UnitTempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void New_ids_are_valid_and_eight_characters_long()
    {
        for (var i = 0; i < 1000; i++)
        {
            var id = TaskId.New();
            Assert.Equal(TaskId.Length, id.Length);
            Assert.True(TaskId.IsValid(id), id);
            Assert.Equal(id, TaskId.Validate(id));
        }
    }

    [Fact]
    public void Ten_thousand_new_ids_are_all_distinct()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 10_000; i++) Assert.True(ids.Add(TaskId.New()), "duplicate task id");
    }

    [Fact]
    public void Every_character_of_the_alphabet_is_as_likely_at_every_place()
    {
        // 31,000 ids: each of the 31 characters about 1,000 times at each of the 8 places (sigma about 31), 8,000 in
        // all (sigma about 88). A place fed by fixed bits (a Guid's version nibble) takes only a few characters; a byte
        // taken modulo 31 without rejection makes 8 characters 9/8 as likely (about 8,700 against 7,750 in all).
        const int Ids = 31_000;
        var counts = new Dictionary<(int Place, char Char), int>();
        for (var i = 0; i < Ids; i++)
        {
            var id = TaskId.New();
            for (var place = 0; place < id.Length; place++) counts[(place, id[place])] = counts.GetValueOrDefault((place, id[place])) + 1;
        }
        var totals = counts.GroupBy(c => c.Key.Char).Select(g => g.Sum(c => c.Value)).ToList();

        Assert.Equal(31 * TaskId.Length, counts.Count);
        Assert.All(counts, c => Assert.InRange(c.Value, 800, 1200));
        Assert.All(totals, total => Assert.InRange(total, 7600, 8400));
    }

    [Fact]
    public void New_ids_avoid_look_alike_characters()
    {
        for (var i = 0; i < 2000; i++)
        {
            var id = TaskId.New();
            Assert.DoesNotContain(id, c => c is 'i' or 'l' or 'o' or '0' or '1' || char.IsUpper(c));
        }
    }

    [Theory]
    [InlineData(" abcdefgh")]
    [InlineData("abcdefgh ")]
    [InlineData("  abcdefgh\t")]
    [InlineData("\nabcdefgh\r\n")]
    public void Validate_accepts_an_id_with_surrounding_spaces_and_returns_it_trimmed(string id)
    {
        Assert.Equal("abcdefgh", TaskId.Validate(id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("../../etc/passwd")]
    [InlineData("..")]
    [InlineData("../abcde")] // eight characters, with a traversal
    [InlineData("a/b")]
    [InlineData("abc/defg")]
    [InlineData("abc\\def")]
    [InlineData("abc\\defg")]
    [InlineData("abcdefg")] // too short
    [InlineData("abcdefghj")] // too long
    [InlineData("ABCDEFGH")]
    [InlineData("abcdefgH")]
    [InlineData("аbcdefgh")] // Cyrillic а
    [InlineData("abcdеfgh")] // Cyrillic е
    [InlineData("ａbcdefgh")] // full-width a
    [InlineData("abcdefg1")] // 1 looks like l and is not in the alphabet
    [InlineData("abcdefgo")]
    [InlineData("abcdefg0")]
    [InlineData("%2e%2e")]
    [InlineData("%2e%2e2f")]
    [InlineData("abcd efg")]
    [InlineData("abcd\0efg")]
    [InlineData("abcdefg.")]
    [InlineData("~/abcdef")]
    public void Validate_rejects_anything_that_is_not_a_task_id(string id)
    {
        var error = Assert.Throws<ClaudeTaskException>(() => TaskId.Validate(id));
        Assert.Equal(ClaudeErrorCode.InvalidTaskId, error.Code);
        Assert.Contains("is not a task id", error.Message);
        Assert.Contains("8 characters", error.Message);
        Assert.Equal(ClaudeHint.ListTasks, error.Hint);
        Assert.False(TaskId.IsValid(id));
    }

    [Fact]
    public void Validate_rejects_null_and_says_no_id_was_given()
    {
        var error = Assert.Throws<ClaudeTaskException>(() => TaskId.Validate(null));
        Assert.Equal(ClaudeErrorCode.InvalidTaskId, error.Code);
        Assert.Contains("(none)", error.Message);
        Assert.Contains("8 characters", error.Message);
    }

    [Fact]
    public void Validate_quotes_a_long_bad_id_only_in_part()
    {
        var id = new string('x', 5000);
        var error = Assert.Throws<ClaudeTaskException>(() => TaskId.Validate(id));
        Assert.True(error.Message.Length < 400, $"message is {error.Message.Length} characters");
        Assert.Contains("…", error.Message);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("..")]
    [InlineData("../abcde")]
    [InlineData("/etc/pas")]
    [InlineData("a/b")]
    [InlineData("abc\\def")]
    [InlineData("")]
    public void TaskStore_refuses_traversal_ids_before_they_become_paths(string id)
    {
        var store = new TaskStore(_temp.Path);
        Assert.Equal(ClaudeErrorCode.InvalidTaskId, Assert.Throws<ClaudeTaskException>(() => store.TaskDirectory(id)).Code);
        Assert.Equal(ClaudeErrorCode.InvalidTaskId, Assert.Throws<ClaudeTaskException>(() => store.Read(id)).Code);
        Assert.Equal(ClaudeErrorCode.InvalidTaskId, Assert.Throws<ClaudeTaskException>(() => store.Delete(id)).Code);
        Assert.Equal(ClaudeErrorCode.InvalidTaskId, Assert.Throws<ClaudeTaskException>(() => store.RequestStop(id)).Code);
    }

    [Fact]
    public void TaskStore_puts_a_valid_id_directly_under_its_tasks_folder()
    {
        var store = new TaskStore(_temp.Path);
        var id = TaskId.New();
        Assert.Equal(Path.Combine(_temp.Path, "tasks", id), store.TaskDirectory(id));
        Assert.Equal(Path.Combine(_temp.Path, "tasks", "abcdefgh"), store.TaskDirectory(" abcdefgh "));
    }
}
