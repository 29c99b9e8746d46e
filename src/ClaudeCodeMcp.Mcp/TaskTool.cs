using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// One MCP tool, declared once: its parameters give its input schema, the check of a call's arguments and their
/// binding; its output schema and the code that answers it come with it. Nothing is derived by reflection, so the
/// server starts and answers without reading method signatures.
/// </summary>
internal sealed class TaskTool : McpServerTool
{
    private readonly Func<ToolCall, CancellationToken, ValueTask<CallToolResult>> _handler;

    public TaskTool(string name, string title, string description, ToolAnnotations annotations, IReadOnlyList<ToolParameter> parameters,
        JsonElement outputSchema, Func<ToolCall, CancellationToken, ValueTask<CallToolResult>> handler)
    {
        annotations.Title = title;
        Parameters = parameters;
        ProtocolTool = new Tool
        {
            Name = name,
            Title = title,
            Description = description,
            InputSchema = InputSchema.Of(parameters),
            OutputSchema = outputSchema,
            Annotations = annotations,
        };
        _handler = handler;
    }

    public IReadOnlyList<ToolParameter> Parameters { get; }

    /// <summary>The tool blocks until tasks end: it answers at once, saying why, when the server's input closes (<see cref="InputEndFilter"/>).</summary>
    public bool WaitsForTasks { get; init; }

    public override Tool ProtocolTool { get; }

    public override IReadOnlyList<object> Metadata { get; } = [];

    public override ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default) =>
        _handler(new ToolCall(request), cancellationToken);
}
