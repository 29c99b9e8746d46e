using ClaudeCodeMcp.Engine.Waiting;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ClaudeCodeMcp.Mcp;

/// <summary>What a tool's code gets: the arguments, and a progress sink when the client asked for progress.</summary>
internal sealed class ToolCall(RequestContext<CallToolRequestParams> request)
{
    public ToolArguments Arguments { get; } = new(request.Params?.Arguments);

    /// <summary>The progress sink, or null when the client sent no progress token (nothing would be sent).</summary>
    public IProgress<ProgressNotificationValue>? Progress { get; } =
        request.Params?.ProgressToken is { } token ? new ProgressNotifier(request.Server, token) : null;

    /// <summary>
    /// A wait's progress as notifications: each snapshot's plain-words line, at most once a second and every five
    /// seconds while nothing changes; null when the client asked for none.
    /// </summary>
    public ClaudeWaitProgress? WaitProgress() => Progress is { } progress
        ? new ClaudeWaitProgress(s => progress.Report(new ProgressNotificationValue { Progress = s.Step, Message = s.Describe() }))
        : null;
}
