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

    [Theory]
    [InlineData("Read", """{"file_path":"/w/src/a.cs","limit":40}""", "→ Read /w/src/a.cs\n")]
    [InlineData("Bash", """{"command":"dotnet test","description":"Run the tests","timeout":600000}""", "→ Bash dotnet test\n")]
    [InlineData("Grep", """{"pattern":"TODO","path":"src","output_mode":"content"}""", "→ Grep TODO\n")]
    [InlineData("WebFetch", """{"url":"https://example.com/doc","prompt":"Summarise"}""", "→ WebFetch https://example.com/doc\n")]
    [InlineData("Task", """{"description":"Review the parser","prompt":"Read src/ and ...","subagent_type":"reviewer"}""", "→ Task Review the parser\n")]
    [InlineData("TodoWrite", """{"todos":[{"content":"a","status":"pending"}]}""", "→ TodoWrite {\"todos\":[{\"content\":\"a\",\"status\":\"pending\"}]}\n")]
    public void A_tool_call_shows_the_argument_that_says_what_it_does_or_else_its_input(string tool, string input, string shown)
    {
        var log = Path.Combine(_temp.Path, "stream.jsonl");
        var cursor = new TranscriptCursor("t", log);
        var use = new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "assistant",
            ["message"] = new System.Text.Json.Nodes.JsonObject
            {
                ["content"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
                {
                    ["type"] = "tool_use", ["id"] = "x", ["name"] = tool, ["input"] = System.Text.Json.Nodes.JsonNode.Parse(input),
                }),
            },
        };
        Append(log, use.ToJsonString() + "\n");

        Assert.Equal(shown, cursor.ReadNew());
    }

    private static void Append(string path, string text) => File.AppendAllText(path, text, new UTF8Encoding(false));
}
