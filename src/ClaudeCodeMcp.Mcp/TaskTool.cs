using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// One MCP tool written out by hand: its protocol description (schemas included) and the code that answers
/// it. No reflection, so the server starts and answers without deriving anything from method signatures.
/// </summary>
internal sealed class TaskTool(Tool protocolTool, Func<ToolCall, CancellationToken, ValueTask<CallToolResult>> handler) : McpServerTool
{
    public override Tool ProtocolTool { get; } = protocolTool;

    public override IReadOnlyList<object> Metadata { get; } = [];

    public override ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default) =>
        handler(new ToolCall(request), cancellationToken);
}
