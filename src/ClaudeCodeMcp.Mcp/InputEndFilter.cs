using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// A tool that waits for tasks (<see cref="TaskTool.WaitsForTasks"/>) is cancelled when the server's input closes,
/// and answers saying so: the client has gone, and the server answers what it read before it ends.
/// </summary>
internal static class InputEndFilter
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Wrap(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next, CancellationToken inputEnded) => async (context, cancellationToken) =>
    {
        if (context.MatchedPrimitive is not TaskTool { WaitsForTasks: true }) return await next(context, cancellationToken).ConfigureAwait(false);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, inputEnded);
        try
        {
            return await next(context, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (inputEnded.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return ToolResults.Error($"{context.Params?.Name} was cancelled because the server's input closed: the client has gone, "
                + "so the server answers what it had read and ends, stopping the tasks it started.");
        }
    };
}
