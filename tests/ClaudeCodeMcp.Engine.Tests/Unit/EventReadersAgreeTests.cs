using System.Text;
using System.Text.Json;
using ClaudeCodeMcp.Engine.Streaming;
using ClaudeCodeMcp.Engine.Transcript;
using CsCheck;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

/// <summary>
/// The three readers of a task's stream: the live run (the stdout pump's splitter and parser), the events read
/// back from the log (<c>Receive-ClaudeTask -Stream</c>) and the transcript (<c>claude_code_get_output</c>) make
/// the same events of the same bytes, however the pipe cut them.
/// </summary>
public sealed class EventReadersAgreeTests : IDisposable
{
    private readonly UnitTempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Any_stream_read_in_any_chunks_gives_the_same_events_live_from_the_log_and_in_the_transcript()
    {
        var gen = Gen.Select(StreamJsonLines.Stream, Gen.Int[1, 700].Array[1, 16]);
        gen.Sample(sample =>
        {
            var ((lines, bytes), chunks) = sample;
            var read = ReadThreeWays(bytes, chunks);

            Assert.Equal(lines.Select(l => l.Kind), read.Live.Select(Kind));
            Assert.Equal(read.Live.Select(Describe), read.Logged.Select(Describe));
            Assert.Equal(read.Live.Select(Describe), read.ForTranscript.Select(Describe));
            foreach (var e in read.ForTranscript) AssertBlocksAgree(e);
            Assert.Equal(ExpectedTranscript(read.ForTranscript), read.Transcript);
        }, iter: 150, threads: 1);
    }

    [Fact]
    public void A_text_over_the_preview_length_is_cut_alike_by_every_reader_and_whole_in_the_transcript()
    {
        foreach (var text in new[]
                 {
                     new string('x', 2500),
                     string.Concat(Enumerable.Repeat("ü€", 3000)),
                     new string('x', 1999) + "😀 after",                      // the cut falls inside the emoji: it goes whole
                     "cut " + StreamJsonLines.LoneSurrogate + new string('y', 3000), // the document parser used to keep this whole
                 })
        {
            foreach (var escaped in new[] { false, true })
            {
                var line = $$$"""{"type":"assistant","message":{"id":"m","content":[{"type":"text","text":{{{StreamJsonLines.Json(text, escaped)}}}}]}}""";
                var read = ReadThreeWays(Encoding.UTF8.GetBytes(line + "\n"), [3]);
                var whole = StreamJsonLines.Decoded(text);
                var preview = whole.Length > 1999 && char.IsHighSurrogate(whole[1999]) ? whole[..1999] : whole[..2000];

                Assert.Equal(preview, Assert.Single(Assert.IsType<AssistantEvent>(Assert.Single(read.Live)).Texts));
                Assert.Equal(preview, Assert.Single(Assert.IsType<AssistantEvent>(Assert.Single(read.Logged)).Texts));
                Assert.Equal(whole + "\n\n", read.Transcript);
            }
        }
    }

    [Fact]
    public void A_character_split_between_two_reads_is_read_whole()
    {
        var line = """{"type":"assistant","message":{"id":"m","content":[{"type":"text","text":"ü € 日本 😀"}]}}""" + "\n";
        var read = ReadThreeWays(Encoding.UTF8.GetBytes(line + line), [1]);

        Assert.All(read.Live.Concat(read.Logged), e => Assert.Equal(["ü € 日本 😀"], Assert.IsType<AssistantEvent>(e).Texts));
        Assert.Equal("ü € 日本 😀\n\nü € 日本 😀\n\n", read.Transcript);
    }

    [Fact]
    public void Malformed_lines_and_unknown_types_are_read_alike_and_left_out_of_the_transcript()
    {
        var bytes = Encoding.UTF8.GetBytes(string.Join("\n",
            """{"type":"assistant","message":{"content":[{"type":"text","text":"half""",
            "Error: usage limit reached",
            """{"type":"result",}""",
            """{"type":"assistant","message":{"content":[]}} trailing""",
            """{"type":"rate_limit_event","info":{"a":1}}""",
            """{"type":"system","subtype":"compact_boundary"}""",
            """{"type":"assistant","message":{"content":[{"type":"text","text":"still here"}]}}""") + "\n");
        var read = ReadThreeWays(bytes, [5]);

        string[] expected =
        [
            "unknown:", "unknown:", "unknown:", "unknown:", "unknown:rate_limit_event", "unknown:system", "assistant",
        ];
        Assert.Equal(expected, read.Live.Select(e => Kind(e) ?? "unknown:"));
        Assert.Equal(read.Live.Select(Describe), read.Logged.Select(Describe));
        Assert.Equal("still here\n\n", read.Transcript);
    }

    [Fact]
    public void The_transcript_shows_tool_calls_results_and_the_result_from_the_same_events()
    {
        var bytes = Encoding.UTF8.GetBytes(string.Join("\n",
            """{"type":"system","subtype":"init","session_id":"s1","model":"m1","cwd":"/w"}""",
            """{"type":"assistant","message":{"id":"a","content":[{"type":"text","text":"Looking."},{"type":"tool_use","name":"Bash","input":{"command":"ls\nwc"}}]}}""",
            """{"type":"user","message":{"content":[{"type":"tool_result","content":[{"type":"text","text":"one"},{"type":"text","text":"two"}],"is_error":true}]}}""",
            $$$"""{"type":"user","message":{"content":[{"type":"tool_result","content":"{{{new string('r', 600)}}}"}]}}""",
            """{"type":"result","subtype":"error_max_turns","is_error":true,"errors":["Reached maximum number of turns (3)"]}"""));
        var read = ReadThreeWays(bytes, [64]);

        Assert.Equal(
            "[session s1 · model m1 · /w]\n\n" +
            "Looking.\n\n→ Bash {\"command\":\"ls\\nwc\"}\n" +
            "  ← result (error): one two\n\n" +
            $"  ← result: {new string('r', 500)}… (100 more characters)\n\n" +
            "[result: error (error_max_turns)]\nReached maximum number of turns (3)\n",
            read.Transcript);
        Assert.Equal(read.Live.Select(Describe), read.ForTranscript.Select(Describe));
    }

    private sealed record ThreeWays(List<StreamEvent> Live, List<StreamEvent> Logged, List<StreamEvent> ForTranscript, string Transcript);

    /// <summary>
    /// Live: the stdout pump (its splitter copying to the log, the parser on each line), fed by reads of the given
    /// sizes; then the log read back as events, and as the transcript.
    /// </summary>
    private ThreeWays ReadThreeWays(byte[] bytes, int[] chunks)
    {
        var path = Path.Combine(_temp.Path, Guid.NewGuid().ToString("N") + ".jsonl");
        var live = new List<StreamEvent>();
        var pump = new LineSplitter(line => live.Add(StreamEventParser.Parse(line)), _ => { }, Runs.ChildOutput.MaxLineBytes);
        using (var log = File.Create(path))
            pump.PumpAsync(new ChunkedStream(bytes, chunks), log, CancellationToken.None).GetAwaiter().GetResult();
        var logged = StreamLog.ReadEvents(path).ToList();
        var forTranscript = StreamLog.ReadEvents(path, EventDetail.Transcript).ToList();
        var transcript = TranscriptReader.ReadPage(path, 0, int.MaxValue).Text;
        return new ThreeWays(live, logged, forTranscript, transcript);
    }

    /// <summary>What the events carry for the engine (not the transcript's blocks), to compare by value.</summary>
    private static string Describe(StreamEvent e) => e switch
    {
        AssistantEvent a => $"assistant {a.MessageId} {JsonSerializer.Serialize(a.Texts)} {JsonSerializer.Serialize(a.ToolNames)} {a.InSubagent}",
        ToolResultEvent u => $"user {u.Count} {u.AnyError}",
        ResultEvent r => $"{r with { Errors = [], PermissionDenials = [] }} {JsonSerializer.Serialize(r.Errors)} {JsonSerializer.Serialize(r.PermissionDenials)}",
        _ => e.ToString(),
    };

    private static string? Kind(StreamEvent e) => e switch
    {
        InitEvent => "init",
        AssistantEvent => "assistant",
        ToolResultEvent => "user",
        ResultEvent => "result",
        UnknownEvent { Type: { } type } => "unknown:" + type,
        _ => null,
    };

    /// <summary>The previews, names and counts an event carries are those of its whole blocks, cut by the one rule.</summary>
    private static void AssertBlocksAgree(StreamEvent e)
    {
        switch (e)
        {
            case AssistantEvent a:
                Assert.Equal(a.Blocks.OfType<TextBlock>().Select(b => EventJson.Cut(b.Text, AssistantEvent.TextPreviewChars)), a.Texts);
                Assert.Equal(a.Blocks.OfType<ToolUseBlock>().Where(b => b.Name is not null).Select(b => b.Name!), a.ToolNames);
                break;
            case ToolResultEvent u:
                Assert.Equal(u.Blocks.OfType<ToolResultBlock>().Count(), u.Count);
                Assert.Equal(u.Blocks.OfType<ToolResultBlock>().Any(b => b.IsError), u.AnyError);
                break;
        }
    }

    private static string ExpectedTranscript(IEnumerable<StreamEvent> events) => string.Concat(events.Select(e => TranscriptText.Render(e)));

    /// <summary>A stream whose reads return at most the next of the given sizes (cycled): a pipe cutting lines anywhere.</summary>
    private sealed class ChunkedStream(byte[] bytes, int[] sizes) : Stream
    {
        private int _offset;
        private int _read;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var size = Math.Min(Math.Min(buffer.Length, sizes[_read++ % sizes.Length]), bytes.Length - _offset);
            bytes.AsSpan(_offset, size).CopyTo(buffer);
            _offset += size;
            return size;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => bytes.Length;
        public override long Position { get => _offset; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
