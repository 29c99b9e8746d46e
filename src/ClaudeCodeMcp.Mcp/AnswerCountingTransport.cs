using System.Threading.Channels;
using ModelContextProtocol.Protocol;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// The server's transport, counting for <see cref="UnansweredRequests"/>: a request when the server takes it (counted
/// before it leaves the transport's queue, so it is always in one count or the other) and an answer when it has been
/// written. An answer the SDK gave up because the request was cancelled is not counted here; the SDK then sends none,
/// and <see cref="CancelledRequestFilter"/> counts it.
/// </summary>
internal sealed class AnswerCountingTransport : ITransport
{
    private readonly ITransport _inner;
    private readonly UnansweredRequests _unanswered;

    public AnswerCountingTransport(ITransport inner, UnansweredRequests unanswered)
    {
        _inner = inner;
        _unanswered = unanswered;
        if (!inner.MessageReader.CanPeek) throw new NotSupportedException("The transport's queue cannot be peeked at, so its requests cannot be counted.");
        MessageReader = new CountingReader(inner.MessageReader, unanswered);
        unanswered.WatchQueue(() => !inner.MessageReader.TryPeek(out _));
    }

    public string? SessionId => _inner.SessionId;

    public ChannelReader<JsonRpcMessage> MessageReader { get; }

    public async Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default)
    {
        if (message is not (JsonRpcResponse or JsonRpcError))
        {
            await _inner.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
            return;
        }
        try
        {
            await _inner.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // not sent, and the SDK sends nothing instead: counted by CancelledRequestFilter
        }
        catch
        {
            _unanswered.Answered(); // the output is gone: no answer will ever get through
            throw;
        }
        _unanswered.Answered();
    }

    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    /// <summary>The transport's queue, counting each message as the server takes it.</summary>
    private sealed class CountingReader(ChannelReader<JsonRpcMessage> inner, UnansweredRequests unanswered) : ChannelReader<JsonRpcMessage>
    {
        public override Task Completion => inner.Completion;
        public override bool CanCount => inner.CanCount;
        public override int Count => inner.Count;
        public override bool CanPeek => inner.CanPeek;

        public override bool TryPeek(out JsonRpcMessage item) => inner.TryPeek(out item!);

        public override bool TryRead(out JsonRpcMessage item)
        {
            // Peek, count, then take: the server is the only reader, so the message taken is the one counted.
            if (!inner.TryPeek(out var next))
            {
                item = null!;
                return false;
            }
            unanswered.Taken(next is JsonRpcRequest);
            inner.TryRead(out item!);
            return true;
        }

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => inner.WaitToReadAsync(cancellationToken);
    }
}
