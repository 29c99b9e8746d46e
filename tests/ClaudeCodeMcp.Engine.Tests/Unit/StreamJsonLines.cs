using System.Globalization;
using System.Text;
using CsCheck;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

/// <summary>A generated stream-json line and what a reader should make of it: the event type, or null for a line that is not a JSON object.</summary>
internal sealed record GeneratedLine(string Text, string? Kind);

/// <summary>
/// Generators of stream-json lines as the CLI writes them and as it sometimes damages them: texts with multi-byte
/// characters written raw or escaped, lone surrogate escapes, texts around the preview length, unknown event
/// types, lines cut short and plain text.
/// </summary>
internal static class StreamJsonLines
{
    /// <summary>Written as the escape <c>\ud83d</c> (JSON.stringify's half of an emoji); it reads as U+FFFD.</summary>
    public const string LoneSurrogate = "\u0001LONE\u0001";

    private static readonly string[] Pieces = ["a", "ü", "€", "😀", "日本", "\"", "\\", "\n", "\t", " ", "/", LoneSurrogate];

    private static Gen<string> Piece => Gen.Int[0, Pieces.Length - 1].Select(i => Pieces[i]);

    public static Gen<string> Text => Gen.Frequency(
        (6, Piece.Array[0, 12].Select(string.Concat)),
        // Around the preview length, so the cut falls on and around emoji, escapes and multi-byte characters.
        (2, Gen.Select(Gen.Int[1990, 2001], Piece.Array[1, 6], (n, tail) => new string('x', n) + string.Concat(tail))),
        (1, Gen.Select(Gen.Int[700, 9000], Piece, (n, piece) => string.Concat(Enumerable.Repeat(piece, n)))));

    /// <summary>A JSON string: non-ASCII written raw (multi-byte UTF-8) or, with <paramref name="escaped"/>, as \u escapes.</summary>
    public static string Json(string text, bool escaped)
    {
        var json = new StringBuilder("\"");
        foreach (var part in text.Split(LoneSurrogate))
        {
            foreach (var c in part)
            {
                switch (c)
                {
                    case '"': json.Append("\\\""); break;
                    case '\\': json.Append("\\\\"); break;
                    case '\n': json.Append("\\n"); break;
                    case < ' ': json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                    case > '~' when escaped: json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                    default: json.Append(c); break;
                }
            }
            json.Append("\\ud83d");
        }
        json.Length -= "\\ud83d".Length; // one fewer than the parts
        return json.Append('"').ToString();
    }

    /// <summary>What a reader should read from a text written by <see cref="Json"/>.</summary>
    public static string Decoded(string text) => text.Replace(LoneSurrogate, "\uFFFD");

    private static Gen<string> JsonText => Gen.Select(Text, Gen.Bool, Json);

    private static Gen<string> Block => Gen.Frequency(
        (4, Gen.Select(JsonText, Gen.Bool, (t, textFirst) => textFirst ? $$"""{"text":{{t}},"type":"text"}""" : $$"""{"type":"text","text":{{t}}}""")),
        (2, Gen.Select(JsonText, JsonText, (name, command) => $$$"""{"type":"tool_use","id":"toolu_1","name":{{{name}}},"input":{"command":{{{command}}}}}""")),
        (1, JsonText.Select(t => $$"""{"type":"thinking","thinking":{{t}},"signature":"s"}""")));

    private static Gen<string> ToolResult => Gen.Select(JsonText, Gen.Bool, Gen.Bool, (t, asArray, isError) =>
        $$"""{"type":"tool_result","tool_use_id":"toolu_1","content":{{(asArray ? $$"""[{"type":"text","text":{{t}}}]""" : t)}},"is_error":{{(isError ? "true" : "false")}}}""");

    private static Gen<GeneratedLine> Valid => Gen.Frequency(
        (1, Gen.Select(JsonText, JsonText, (session, cwd) =>
            new GeneratedLine($$"""{"type":"system","subtype":"init","session_id":{{session}},"model":"m","cwd":{{cwd}},"tools":["Bash"]}""", "init"))),
        (1, Gen.Const(new GeneratedLine("""{"type":"system","subtype":"task_started","task":{"id":1}}""", "unknown:system"))),
        (6, Gen.Select(Block.Array[0, 3], Gen.Bool, JsonText, (blocks, sub, id) => new GeneratedLine(
            $$"""{"type":"assistant","message":{"id":{{id}},"role":"assistant","content":[{{string.Join(",", blocks)}}]},"parent_tool_use_id":{{(sub ? "\"toolu_9\"" : "null")}},"session_id":"s"}""",
            "assistant"))),
        (3, ToolResult.Array[0, 3].Select(results => new GeneratedLine(
            $$"""{"type":"user","message":{"role":"user","content":[{{string.Join(",", results)}}]},"session_id":"s"}""", "user"))),
        (1, Gen.Select(JsonText, Gen.Bool, JsonText, (result, isError, error) => new GeneratedLine(
            $$"""{"type":"result","subtype":"success","is_error":{{(isError ? "true" : "false")}},"result":{{result}},"num_turns":3,"errors":[{{error}},{"code":7}],"total_cost_usd":0.5}""",
            "result"))),
        (1, Gen.Const(new GeneratedLine("""{"type":"rate_limit_event","info":{"a":[1,2,{"b":null}],"resets":"soon"}}""", "unknown:rate_limit_event"))));

    /// <summary>Any line: mostly valid ones, some cut short, some plain text.</summary>
    public static Gen<GeneratedLine> Line => Gen.Frequency(
        (8, Valid),
        (1, Gen.Select(Valid, Gen.Double[0, 0.999], (line, at) => new GeneratedLine(line.Text[..Math.Max(1, (int)(line.Text.Length * at))], null))),
        (1, Gen.Int[0, Damaged.Length - 1].Select(i => Damaged[i])));

    private static readonly GeneratedLine[] Damaged =
    [
        new("Error: usage limit reached · try again at 5pm ü", null),
        new("""{"type":"result","is_error":false} trailing""", null),
        new("   ", null),
    ];

    /// <summary>Lines and the bytes of their stream, each line ended by \n or \r\n (the last one perhaps by nothing).</summary>
    public static Gen<(GeneratedLine[] Lines, byte[] Bytes)> Stream => Gen.Select(Line.Array[1, 12], Gen.Bool.Array[12], Gen.Bool, (lines, crlf, lastEnded) =>
    {
        var text = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            text.Append(lines[i].Text);
            if (i < lines.Length - 1 || lastEnded) text.Append(crlf[i] ? "\r\n" : "\n");
        }
        return (lines, Encoding.UTF8.GetBytes(text.ToString()));
    });
}
