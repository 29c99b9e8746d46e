using System.Text;
using BenchmarkDotNet.Attributes;
using ClaudeCodeMcp.Engine.Streaming;

namespace ClaudeCodeMcp.Benchmarks.Micro;

/// <summary>In-process throughput of the stdout path: line splitting and event parsing, no log, no process.</summary>
[MemoryDiagnoser]
public class StreamParsingBenchmarks
{
    private byte[] _stream = [];

    [Params(1000, 20_000)]
    public int TextLength { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var text = new string('x', TextLength);
        var line = $$"""{"type":"assistant","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"{{text}}"}]},"parent_tool_use_id":null,"session_id":"s"}""" + "\n";
        var builder = new StringBuilder();
        while (builder.Length < 16 * 1024 * 1024) builder.Append(line);
        _stream = Encoding.UTF8.GetBytes(builder.ToString());
    }

    /// <summary>Splits and parses 16 MB; divide by the time for MB/s.</summary>
    [Benchmark]
    public int SplitAndParse16MB()
    {
        var events = 0;
        var splitter = new LineSplitter(line =>
        {
            if (StreamEventParser.Parse(line) is AssistantEvent) events++;
        }, _ => { }, 16 * 1024 * 1024);
        for (var offset = 0; offset < _stream.Length; offset += 64 * 1024)
            splitter.Feed(_stream.AsMemory(offset, Math.Min(64 * 1024, _stream.Length - offset)));
        splitter.Finish();
        return events;
    }
}
