using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// A tool that waits for tasks (<see cref="TaskTool.WaitsForTasks"/>) answers at once when the server's input closes,
/// saying so: the client has gone, and the server answers what it read before it ends. The call itself is left to
/// end with the session, so a run's task is stopped by the server's shutdown and its record says that.
/// </summary>
internal static class InputEndFilter
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Wrap(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next, CancellationToken inputEnded) => async (context, cancellationToken) =>
    {
        if (context.MatchedPrimitive is not TaskTool { WaitsForTasks: true }) return await next(context, cancellationToken).ConfigureAwait(false);
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<CallToolResult> call;
        using (inputEnded.UnsafeRegister(static state => ((TaskCompletionSource)state!).TrySetResult(), ended))
        {
            call = next(context, cancellationToken).AsTask();
            if (await Task.WhenAny(call, ended.Task).ConfigureAwait(false) == call) return await call.ConfigureAwait(false);
        }
        _ = call.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return ToolResults.Error($"{context.Params?.Name} was cancelled because the server's input closed: the client has gone, "
            + "so the server answers what it had read and ends, stopping the tasks it started.");
    };
}
