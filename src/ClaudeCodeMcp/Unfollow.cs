namespace ClaudeCodeMcp;

/// <summary>Ends a subscription once, however often it is disposed and from whichever thread.</summary>
internal sealed class Unfollow(Action action) : IDisposable
{
    private Action? _action = action;

    public void Dispose() => Interlocked.Exchange(ref _action, null)?.Invoke();
}
