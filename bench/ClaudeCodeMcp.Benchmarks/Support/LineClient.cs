using System.Text;
using System.Text.Json;

namespace ClaudeCodeMcp.Benchmarks.Support;

/// <summary>
/// The leanest client: one request at a time, written as one line, answered by the next line that carries
/// its id. What it measures is the server and the pipe, not a client library's own work.
/// </summary>
public sealed class LineClient(Stream toServer, Stream fromServer)
{
    private readonly StreamReader _reader = new(fromServer, new UTF8Encoding(false));
    private readonly byte[] _newline = "\n"u8.ToArray();
    private int _nextId = 1000;

    public async Task<JsonElement> RequestAsync(string method, object parameters)
    {
        var id = ++_nextId;
        var line = JsonSerializer.SerializeToUtf8Bytes(new { jsonrpc = "2.0", id, method, @params = parameters });
        await toServer.WriteAsync(line);
        await toServer.WriteAsync(_newline);
        await toServer.FlushAsync();
        while (await _reader.ReadLineAsync() is { } answer)
        {
            using var document = JsonDocument.Parse(answer);
            if (document.RootElement.TryGetProperty("id", out var answered) && answered.ValueKind == JsonValueKind.Number && answered.GetInt32() == id)
                return document.RootElement.Clone();
        }
        throw new EndOfStreamException("the server closed its output");
    }
}
