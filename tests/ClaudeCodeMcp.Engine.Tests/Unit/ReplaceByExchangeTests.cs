using ClaudeCodeMcp.Engine.Store;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

/// <summary>
/// A record or signal put in place of the old one (<see cref="ReplaceByExchange"/>): readers always find a whole file,
/// the old one leaves nothing behind, a link there is replaced and never followed, a folder there is refused.
/// </summary>
public sealed class ReplaceByExchangeTests : IDisposable
{
    private readonly UnitTempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_new_file_takes_the_name_and_nothing_else_is_left_in_the_folder()
    {
        var path = Path.Combine(_temp.Path, "record.json");
        Replace(path, "first");
        Replace(path, "second");
        Replace(path, "third");

        Assert.Equal("third", File.ReadAllText(path));
        Assert.Equal(["record.json"], Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName));
    }

    [UnixFact]
    public void A_link_in_its_place_is_replaced_and_what_it_names_is_untouched()
    {
        var mine = Path.Combine(_temp.Path, "mine.txt");
        File.WriteAllText(mine, "the user's");
        var path = Path.Combine(_temp.Path, "record.json");
        File.CreateSymbolicLink(path, mine);

        Replace(path, "record");

        Assert.Null(new FileInfo(path).LinkTarget);
        Assert.Equal("record", File.ReadAllText(path));
        Assert.Equal("the user's", File.ReadAllText(mine));
    }

    [Fact]
    public void A_folder_in_its_place_is_refused_and_kept()
    {
        var path = Path.Combine(_temp.Path, "record.json");
        Directory.CreateDirectory(Path.Combine(path, "inside"));

        Assert.ThrowsAny<IOException>(() => Replace(path, "record"));
        Assert.True(Directory.Exists(Path.Combine(path, "inside")));
    }

    [Fact]
    public async Task A_reader_never_finds_the_file_missing_or_half_written_while_it_is_replaced()
    {
        var path = Path.Combine(_temp.Path, "record.json");
        var contents = new[] { new string('a', 600), new string('b', 900) };
        Replace(path, contents[0]);
        using var done = new CancellationTokenSource();
        using var reading = new ManualResetEventSlim();
        var reads = 0;
        var reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                var text = File.ReadAllText(path); // throws if the name is ever missing
                Assert.Contains(text, contents);
                reads++;
                reading.Set();
            }
        });
        Assert.True(reading.Wait(TimeSpan.FromMinutes(1)), "the reader never read");
        for (var i = 0; i < 2000 && !reader.IsCompleted; i++) Replace(path, contents[i % 2]);
        await done.CancelAsync();
        await reader;
        Assert.True(reads > 1);
        Assert.Single(Directory.GetFileSystemEntries(_temp.Path));
    }

    private static void Replace(string path, string content) => StoreFiles.Replace(path, System.Text.Encoding.UTF8.GetBytes(content));
}
