using ClaudeCodeMcp.Engine;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// Turns every failure of a tool into an <c>isError</c> result whose text says why and what to do:
/// engine errors, arguments that do not bind (missing, wrong type), anything unexpected. Without it the
/// SDK hides the reason behind "An error occurred invoking ...".
/// </summary>
internal static class ToolErrorFilter
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Wrap(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next, Action<string> log) => async (context, cancellationToken) =>
    {
        var tool = context.Params?.Name ?? "?";
        if (context.MatchedPrimitive is TaskTool matched
            && InputSchema.Problem(matched.Parameters, context.Params?.Arguments?.AsReadOnly()) is { } problem)
        {
            return ToolResults.Error($"The arguments of {tool} are not valid: {problem} Check the tool's input schema.");
        }
        try
        {
            return await next(context, cancellationToken).ConfigureAwait(false);
        }
        catch (ClaudeTaskException e)
        {
            return ToolResults.Error(ToolHints.Words.Describe(e));
        }
        catch (ToolArgumentException e)
        {
            return ToolResults.Error($"The arguments of {tool} are not valid: {e.Message} Check the tool's input schema.");
        }
        catch (Exception e) when (e is not OperationCanceledException and not McpProtocolException)
        {
            log($"{tool} failed: {e.GetType().Name}: {e.Message}");
            return ToolResults.Error($"{tool} failed unexpectedly ({e.GetType().Name}: {e.Message}). Try again; if it persists, check the server's log.");
        }
    };
}
