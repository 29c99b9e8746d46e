using System.Text;
using ClaudeCodeMcp.Engine.Transcript;
using Xunit;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

/// <summary>The readable transcript: damaged text still reads, and pages put together give the whole.</summary>
public sealed class TranscriptReaderTests : IDisposable
{
    private readonly UnitTempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_lone_surrogate_in_a_tool_result_and_invalid_utf8_in_text_still_read()
    {
        var log = Write(
            Encoding.UTF8.GetBytes("""{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"half \ud83d emoji"}]}}""" + "\n"),
            [.. Encoding.UTF8.GetBytes("""{"type":"assistant","message":{"content":[{"type":"text","text":"cut """), 0xF0, 0x9F, .. Encoding.UTF8.GetBytes(""" here"}]}}""" + "\n")]);

        var page = TranscriptReader.ReadPage(log, 0, 10_000);

        Assert.Contains("← result: ", page.Text);
        Assert.Contains("emoji", page.Text);
        Assert.Contains("cut \uFFFD here", page.Text);
        Assert.Null(page.NextOffset);
    }

    [Fact]
    public void Pages_read_one_after_another_put_together_the_whole_transcript()
    {
        var lines = Enumerable.Range(0, 200).Select(i =>
            Encoding.UTF8.GetBytes($$$"""{"type":"assistant","message":{"content":[{"type":"text","text":"turn {{{i}}}: {{{new string('w', i % 37)}}}"}]}}""" + "\n")).ToArray();
        var log = Write(lines);
        var whole = TranscriptReader.ReadPage(log, 0, int.MaxValue).Text;

        var joined = new StringBuilder();
        long? offset = 0;
        while (offset is { } at)
        {
            var page = TranscriptReader.ReadPage(log, at, 333);
            Assert.True(page.Text.Length <= 333);
            joined.Append(page.Text);
            offset = page.NextOffset;
        }

        Assert.Contains("turn 199:", whole);
        Assert.Equal(whole, joined.ToString());
    }

    [Fact]
    public void A_line_too_long_to_read_is_said_in_its_place_with_its_size_never_skipped_in_silence()
    {
        static byte[] Text(string text) =>
            Encoding.UTF8.GetBytes($$$"""{"type":"assistant","message":{"content":[{"type":"text","text":"{{{text}}}"}]}}""" + "\n");
        var huge = Encoding.UTF8.GetBytes(""" {"type":"assistant","message":{"content":[{"type":"text","text":" """.Trim() + new string('x', 17 * 1024 * 1024) + "\"}]}}\n");
        var log = Write(Text("before"), huge, Text("after"));

        var text = TranscriptReader.ReadPage(log, 0, 100_000).Text;

        var before = text.IndexOf("before", StringComparison.Ordinal);
        var said = text.IndexOf("17 MiB", StringComparison.Ordinal);
        var after = text.IndexOf("after", StringComparison.Ordinal);
        Assert.True(before >= 0 && said > before && after > said, text);
        Assert.Contains("stream.jsonl", text);
        Assert.DoesNotContain("xxxx", text);
    }

    private string Write(params byte[][] lines)
    {
        var path = Path.Combine(_temp.Path, "stream.jsonl");
        File.WriteAllBytes(path, lines.SelectMany(l => l).ToArray());
        return path;
    }
}
