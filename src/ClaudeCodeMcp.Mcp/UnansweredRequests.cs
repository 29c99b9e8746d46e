namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// The requests of one connection that were read and are not answered yet, and waits until few enough are. Messages
/// the transport has read but the server has not taken yet are watched too (<see cref="WatchQueue"/>), so nothing read
/// is ever left out. <see cref="AnswerCountingTransport"/> counts a request when the server takes it and its answer
/// when it is sent; <see cref="CancelledRequestFilter"/> counts a request the client cancelled, which gets no answer.
/// </summary>
internal sealed class UnansweredRequests
{
    private int _taken;
    private Func<bool> _queueEmpty = () => true;
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>Requests taken and not answered, plus one while the transport holds messages not taken yet.</summary>
    public int Count => Volatile.Read(ref _taken) + (_queueEmpty() ? 0 : 1);

    /// <summary>Says whether the transport holds messages read but not yet taken by the server.</summary>
    public void WatchQueue(Func<bool> queueEmpty) => _queueEmpty = queueEmpty;

    /// <summary>The server took a message from the transport (a request is counted until it is answered).</summary>
    public void Taken(bool isRequest)
    {
        if (isRequest) Interlocked.Increment(ref _taken);
        Signal();
    }

    /// <summary>A request was answered, or will never be (cancelled by the client).</summary>
    public void Answered()
    {
        Interlocked.Decrement(ref _taken);
        Signal();
    }

    /// <summary>
    /// Completes when fewer than <paramref name="limit"/> requests are unanswered and the server has taken everything read
    /// so far: what the transport may read next is then at most one buffer more.
    /// </summary>
    public Task WhenRoomAsync(int limit, CancellationToken cancellationToken) =>
        WhenAsync(() => Volatile.Read(ref _taken) < limit && _queueEmpty(), cancellationToken);

    /// <summary>Completes when every request read so far has been answered (or cancelled by the client).</summary>
    public Task WhenAllAnsweredAsync(CancellationToken cancellationToken) => WhenAsync(() => Count == 0, cancellationToken);

    private async Task WhenAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (condition()) return;
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void Signal() => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
