using System.Text;
using ClaudeCodeMcp.Engine.Transcript;
using Xunit;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

/// <summary>Following a log as it grows: each read gives only what is new and whole, never a line twice or half of one.</summary>
public sealed class TranscriptCursorTests : IDisposable
{
    private readonly UnitTempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Text(string words) => $$$"""{"type":"assistant","message":{"content":[{"type":"text","text":"{{{words}}}"}]}}""" + "\n";

    [Fact]
    public void Each_read_gives_what_was_printed_since_whole_lines_only_without_the_session_line_or_the_result()
    {
        var log = Path.Combine(_temp.Path, "stream.jsonl");
        var cursor = new TranscriptCursor("t", log);
        Assert.Equal("", cursor.ReadNew()); // no log yet

        Append(log, """{"type":"system","subtype":"init","session_id":"s","model":"m","cwd":"/w"}""" + "\n" + Text("one"));
        Assert.Equal("one\n\n", cursor.ReadNew());
        Assert.Equal("", cursor.ReadNew());

        var two = Text("two");
        Append(log, two[..10]); // half a line: nothing yet
        Assert.Equal("", cursor.ReadNew());
        Append(log, two[10..] + """{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"x","content":"ok"}]}}""" + "\n");
        Assert.Equal("two\n\n  ← result: ok\n\n", cursor.ReadNew());

        Append(log, """{"type":"result","subtype":"success","is_error":false,"result":"two"}""" + "\n");
        Assert.Equal("", cursor.ReadNew());
    }

    private static void Append(string path, string text) => File.AppendAllText(path, text, new UTF8Encoding(false));
}
