using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// Counts as answered a request the client cancelled (<c>notifications/cancelled</c>): the SDK sends no answer when its
/// handler ends cancelled while the session goes on, so without this it would stay unanswered for ever and hold back
/// the input (<see cref="PacedInputStream"/>).
/// </summary>
internal static class CancelledRequestFilter
{
    public static McpMessageFilter Create(UnansweredRequests unanswered, CancellationToken session) => next => async (context, cancellationToken) =>
    {
        try
        {
            await next(context, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.JsonRpcMessage is JsonRpcRequest
            && cancellationToken.IsCancellationRequested && !session.IsCancellationRequested)
        {
            unanswered.Answered();
            throw;
        }
    };
}
