using System.Text;
using ClaudeCodeMcp.Engine.Streaming;
using Xunit;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

public sealed class LineSplitterTests
{
    /// <summary>Records what a splitter delivers, copying each line because its memory may be reused.</summary>
    private sealed class Collector
    {
        public List<string> Lines { get; } = [];
        public List<byte[]> RawLines { get; } = [];
        public List<long> Oversize { get; } = [];

        public LineSplitter Splitter(int maxLineBytes) => new(
            line =>
            {
                var copy = line.ToArray();
                RawLines.Add(copy);
                Lines.Add(Encoding.UTF8.GetString(copy));
            },
            Oversize.Add,
            maxLineBytes);
    }

    private static Collector FeedInChunks(byte[] bytes, IEnumerable<int> chunkSizes, int maxLineBytes = 1024, bool finish = true)
    {
        var collector = new Collector();
        var splitter = collector.Splitter(maxLineBytes);
        var offset = 0;
        using var sizes = chunkSizes.GetEnumerator();
        while (offset < bytes.Length)
        {
            var size = sizes.MoveNext() ? Math.Max(1, sizes.Current) : bytes.Length - offset;
            size = Math.Min(size, bytes.Length - offset);
            // A fresh array per chunk, overwritten after Feed returns: the splitter must not keep a reference to it.
            var chunk = bytes.AsSpan(offset, size).ToArray();
            splitter.Feed(chunk);
            Array.Fill(chunk, (byte)'#');
            offset += size;
        }
        if (finish) splitter.Finish();
        return collector;
    }

    private static Collector Feed(string text, params int[] chunkSizes) =>
        FeedInChunks(Encoding.UTF8.GetBytes(text), chunkSizes.Length == 0 ? [int.MaxValue] : chunkSizes);

    private static IEnumerable<int> Repeat(int size)
    {
        while (true) yield return size;
    }

    private static IEnumerable<int> RandomSizes(int seed, int max)
    {
        var random = new Random(seed);
        while (true) yield return random.Next(1, max + 1);
    }

    [Fact]
    public void Whole_lines_in_one_chunk_are_delivered_in_order()
    {
        Assert.Equal(["one", "two", "three"], Feed("one\ntwo\nthree\n").Lines);
    }

    [Fact]
    public void Lines_split_across_chunk_boundaries_reassemble_exactly()
    {
        var collector = Feed("""{"type":"system"}""" + "\n" + """{"type":"result"}""" + "\n", 3, 7, 1, 11, 2, 50);
        Assert.Equal(["""{"type":"system"}""", """{"type":"result"}"""], collector.Lines);
    }

    [Fact]
    public void A_line_spanning_many_chunks_reassembles_exactly()
    {
        var line = string.Concat(Enumerable.Range(0, 300).Select(i => (char)('a' + i % 26)));
        var collector = FeedInChunks(Encoding.UTF8.GetBytes(line + "\nnext\n"), Repeat(5));
        Assert.Equal([line, "next"], collector.Lines);
    }

    [Fact]
    public void Multibyte_utf8_split_inside_a_character_reassembles_exactly()
    {
        const string text = "héllo wörld 😀 ✓\nzweite Zeile ü\n";
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var size = 1; size <= 5; size++)
        {
            var collector = FeedInChunks(bytes, Repeat(size));
            Assert.Equal(["héllo wörld 😀 ✓", "zweite Zeile ü"], collector.Lines);
        }
    }

    [Fact]
    public void Crlf_line_endings_lose_the_carriage_return()
    {
        Assert.Equal(["one", "two"], Feed("one\r\ntwo\r\n").Lines);
    }

    [Fact]
    public void Crlf_split_between_chunks_still_loses_the_carriage_return()
    {
        Assert.Equal(["one", "two"], Feed("one\r\ntwo\r\n", 4, 1, 4, 1).Lines);
    }

    [Fact]
    public void A_carriage_return_inside_a_line_is_kept()
    {
        Assert.Equal(["a\rb"], Feed("a\rb\n").Lines);
    }

    [Fact]
    public void Empty_lines_are_skipped()
    {
        Assert.Equal(["a", "b"], Feed("\n\na\n\r\n\n\nb\n\n").Lines);
    }

    [Fact]
    public void Empty_lines_split_across_chunks_are_skipped()
    {
        Assert.Equal(["a", "b"], Feed("\n\na\n\r\n\n\nb\n\n", 1, 1, 1, 2, 1, 1, 1).Lines);
    }

    [Fact]
    public void A_last_line_without_newline_waits_for_Finish()
    {
        var collector = new Collector();
        var splitter = collector.Splitter(1024);
        splitter.Feed(Encoding.UTF8.GetBytes("first\nlast without newline"));
        Assert.Equal(["first"], collector.Lines);
        splitter.Finish();
        Assert.Equal(["first", "last without newline"], collector.Lines);
    }

    [Fact]
    public void A_last_line_without_newline_split_across_chunks_is_delivered_by_Finish()
    {
        Assert.Equal(["first", "tail"], Feed("first\ntail", 2, 2, 2, 2).Lines);
    }

    [Fact]
    public void A_last_line_ending_in_a_carriage_return_loses_it_on_Finish()
    {
        Assert.Equal(["tail"], Feed("tail\r", 2).Lines);
    }

    [Fact]
    public void Finish_with_nothing_pending_delivers_nothing()
    {
        var collector = Feed("one\n", 2);
        Assert.Equal(["one"], collector.Lines);
        Assert.Empty(collector.Oversize);
    }

    [Fact]
    public void A_line_of_exactly_the_limit_is_delivered()
    {
        var line = new string('x', 16);
        var collector = FeedInChunks(Encoding.UTF8.GetBytes(line + "\n"), Repeat(3), maxLineBytes: 16);
        Assert.Equal([line], collector.Lines);
        Assert.Empty(collector.Oversize);
    }

    [Fact]
    public void A_line_over_the_limit_is_reported_with_its_full_length_and_not_delivered()
    {
        var big = new string('x', 25);
        var collector = FeedInChunks(Encoding.UTF8.GetBytes($"before\n{big}\nafter\n"), Repeat(4), maxLineBytes: 10);
        Assert.Equal(["before", "after"], collector.Lines);
        Assert.Equal([25L], collector.Oversize);
    }

    [Fact]
    public void The_line_after_an_oversize_line_is_delivered_intact()
    {
        var big = new string('y', 1000);
        var collector = FeedInChunks(Encoding.UTF8.GetBytes($"{big}\nnext line\n"), Repeat(7), maxLineBytes: 64);
        Assert.Equal(["next line"], collector.Lines);
        Assert.Equal([1000L], collector.Oversize);
    }

    [Fact]
    public void The_next_line_sharing_a_chunk_with_the_end_of_an_oversize_line_is_delivered_intact()
    {
        var big = new string('y', 30);
        // chunks: 20 bytes of the big line, then the rest of it + newline + the whole next line
        var collector = FeedInChunks(Encoding.UTF8.GetBytes($"{big}\nnext\n"), [20, 100], maxLineBytes: 10);
        Assert.Equal(["next"], collector.Lines);
        Assert.Equal([30L], collector.Oversize);
    }

    [Fact]
    public void An_oversize_last_line_without_newline_is_reported_by_Finish()
    {
        var collector = FeedInChunks(Encoding.UTF8.GetBytes("ok\n" + new string('z', 50)), Repeat(8), maxLineBytes: 10);
        Assert.Equal(["ok"], collector.Lines);
        Assert.Equal([50L], collector.Oversize);
    }

    [Fact]
    public void Several_oversize_lines_are_each_reported()
    {
        var text = $"{new string('a', 11)}\nb\n{new string('c', 40)}\n{new string('d', 12)}\ne\n";
        var collector = FeedInChunks(Encoding.UTF8.GetBytes(text), Repeat(3), maxLineBytes: 10);
        Assert.Equal(["b", "e"], collector.Lines);
        Assert.Equal([11L, 40L, 12L], collector.Oversize);
    }

    [Fact]
    public void An_oversize_line_arriving_in_one_chunk_is_not_delivered()
    {
        var big = new string('x', 25);
        var collector = FeedInChunks(Encoding.UTF8.GetBytes($"{big}\nafter\n"), [int.MaxValue], maxLineBytes: 10);
        Assert.Equal(["after"], collector.Lines);
        Assert.Equal([25L], collector.Oversize);
    }

    private static readonly string Sample = string.Concat(
        """{"type":"system","subtype":"init","session_id":"s"}""" + "\n",
        "\n",
        """{"type":"assistant","message":{"content":[{"type":"text","text":"héllo 😀"}]}}""" + "\r\n",
        new string('o', 150) + "\n", // over the 100-byte limit used below
        "\r\n",
        "short\n",
        new string('m', 100) + "\n", // exactly the limit
        "\n\n",
        """{"type":"result","subtype":"success","is_error":false}""",
        "\n",
        "trailing without newline");

    private static readonly string[] SampleLines =
    [
        """{"type":"system","subtype":"init","session_id":"s"}""",
        """{"type":"assistant","message":{"content":[{"type":"text","text":"héllo 😀"}]}}""",
        "short",
        new string('m', 100),
        """{"type":"result","subtype":"success","is_error":false}""",
        "trailing without newline",
    ];

    [Fact]
    public void Fixed_chunk_sizes_from_1_to_17_always_give_the_same_lines()
    {
        var bytes = Encoding.UTF8.GetBytes(Sample);
        for (var size = 1; size <= 17; size++)
        {
            var collector = FeedInChunks(bytes, Repeat(size), maxLineBytes: 100);
            Assert.Equal(SampleLines, collector.Lines);
            Assert.Equal([150L], collector.Oversize);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(42)]
    [InlineData(2026)]
    public void Random_chunk_sizes_always_give_the_same_lines(int seed)
    {
        var bytes = Encoding.UTF8.GetBytes(Sample);
        for (var round = 0; round < 20; round++)
        {
            var collector = FeedInChunks(bytes, RandomSizes(seed * 1000 + round, max: 64), maxLineBytes: 100);
            Assert.Equal(SampleLines, collector.Lines);
            Assert.Equal([150L], collector.Oversize);
        }
    }

    [Fact]
    public void Delivered_bytes_are_exact_including_invalid_utf8()
    {
        byte[] line = [0xFF, 0x00, 0xC3, (byte)'a', (byte)'\r', (byte)'b'];
        var bytes = line.Concat(new[] { (byte)'\n' }).ToArray();
        var collector = FeedInChunks(bytes, Repeat(2));
        Assert.Equal(line, Assert.Single(collector.RawLines));
    }

    /// <summary>A stream that hands out at most a few bytes per read, like a pipe.</summary>
    private sealed class TrickleStream(byte[] data, int maxRead) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(buffer.Length, maxRead), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));
    }

    private static (byte[] Bytes, List<string> Lines) BigStream()
    {
        var lines = new List<string>();
        var builder = new StringBuilder();
        var random = new Random(7);
        for (var i = 0; i < 3000; i++)
        {
            var line = $$"""{"type":"assistant","n":{{i}},"text":"{{new string((char)('a' + i % 26), random.Next(0, 120))}}"}""";
            lines.Add(line);
            builder.Append(line).Append(i % 3 == 0 ? "\r\n" : "\n");
        }
        return (Encoding.UTF8.GetBytes(builder.ToString()), lines);
    }

    [Fact]
    public async Task PumpAsync_copies_every_byte_to_the_log_unchanged_while_delivering_lines()
    {
        var (bytes, expected) = BigStream();
        Assert.True(bytes.Length > 64 * 1024 * 2); // more than one read buffer, so lines cross reads
        var collector = new Collector();
        using var source = new MemoryStream(bytes);
        using var log = new MemoryStream();
        await collector.Splitter(1024 * 1024).PumpAsync(source, log, CancellationToken.None);
        Assert.Equal(bytes, log.ToArray());
        Assert.Equal(expected, collector.Lines);
        Assert.Empty(collector.Oversize);
    }

    [Fact]
    public async Task PumpAsync_from_a_trickling_pipe_copies_all_bytes_and_delivers_all_lines()
    {
        var bytes = Encoding.UTF8.GetBytes(Sample);
        foreach (var maxRead in new[] { 1, 3, 13 })
        {
            var collector = new Collector();
            using var log = new MemoryStream();
            await collector.Splitter(100).PumpAsync(new TrickleStream(bytes, maxRead), log, CancellationToken.None);
            Assert.Equal(bytes, log.ToArray());
            Assert.Equal(SampleLines, collector.Lines);
            Assert.Equal([150L], collector.Oversize);
        }
    }

    [Fact]
    public async Task PumpAsync_logs_an_oversize_line_whole_but_reports_only_its_length()
    {
        var big = new string('q', 200_000);
        var bytes = Encoding.UTF8.GetBytes($"first\n{big}\nlast\n");
        var collector = new Collector();
        using var log = new MemoryStream();
        await collector.Splitter(1000).PumpAsync(new MemoryStream(bytes), log, CancellationToken.None);
        Assert.Equal(bytes, log.ToArray());
        Assert.Equal(["first", "last"], collector.Lines);
        Assert.Equal([200_000L], collector.Oversize);
    }

    [Fact]
    public async Task PumpAsync_delivers_the_last_line_without_newline_at_end_of_stream()
    {
        var collector = new Collector();
        await collector.Splitter(1024).PumpAsync(new MemoryStream(Encoding.UTF8.GetBytes("a\nb")), null, CancellationToken.None);
        Assert.Equal(["a", "b"], collector.Lines);
    }

    [Fact]
    public async Task PumpAsync_without_a_log_still_delivers_lines()
    {
        var (bytes, expected) = BigStream();
        var collector = new Collector();
        await collector.Splitter(1024 * 1024).PumpAsync(new MemoryStream(bytes), null, CancellationToken.None);
        Assert.Equal(expected, collector.Lines);
    }

    [Fact]
    public async Task PumpAsync_of_an_empty_stream_delivers_nothing()
    {
        var collector = new Collector();
        using var log = new MemoryStream();
        await collector.Splitter(1024).PumpAsync(new MemoryStream(), log, CancellationToken.None);
        Assert.Empty(collector.Lines);
        Assert.Empty(collector.Oversize);
        Assert.Equal(0, log.Length);
    }
}
