using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ClaudeCodeMcp.Mcp;

/// <summary>Sends each report as a <c>notifications/progress</c> for one token, without waiting for the write.</summary>
internal sealed class ProgressNotifier(McpServer server, ProgressToken token) : IProgress<ProgressNotificationValue>
{
    public void Report(ProgressNotificationValue value) => _ = server.NotifyProgressAsync(token, value, cancellationToken: CancellationToken.None);
}
