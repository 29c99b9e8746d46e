using System.IO.Pipelines;
using System.Text.Json;
using ClaudeCodeMcp.Engine.Tests.Support;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace ClaudeCodeMcp.Mcp.Tests.Support;

/// <summary>The server running in this process on a pair of pipes, and the SDK's own client talking to it.</summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);
    private readonly CancellationTokenSource _stop = new();
    private readonly Pipe _toServer = new();
    private readonly Task _server;

    private InProcessServer(Sandbox sandbox, ClaudeMcpServerSettings settings)
    {
        Sandbox = sandbox;
        var pipeToClient = new Pipe();
        ToClient = pipeToClient;
        settings = settings with { StateDirectory = sandbox.StateDir, ClaudePath = settings.ClaudePath ?? TestPaths.FakeClaude };
        _server = Task.Run(() => ClaudeMcpServer.RunAsync(_toServer.Reader.AsStream(), pipeToClient.Writer.AsStream(), settings,
            sandbox.Options(), Diagnostics, _stop.Token));
    }

    public Sandbox Sandbox { get; }
    public McpClient Client { get; private set; } = null!;
    public StringWriter Diagnostics { get; } = new();
    private Pipe ToClient { get; }

    public Task ServerTask => _server;

    public static async Task<InProcessServer> StartAsync(Sandbox sandbox, ClaudeMcpServerSettings? settings = null)
    {
        var server = new InProcessServer(sandbox, settings ?? new ClaudeMcpServerSettings());
        server.Client = await McpClient.CreateAsync(
            new StreamClientTransport(server._toServer.Writer.AsStream(), server.ToClient.Reader.AsStream()),
            new McpClientOptions { ClientInfo = new Implementation { Name = "tests", Version = "1" } }).WaitAsync(Hang);
        return server;
    }

    public Task<CallToolResult> CallAsync(string tool, object? arguments = null, IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var args = arguments is null
            ? new Dictionary<string, object?>()
            : JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments))!;
        return Client.CallToolAsync(tool, args, progress, cancellationToken: cancellationToken).AsTask().WaitAsync(Hang, CancellationToken.None);
    }

    /// <summary>Ends the input, as a client that goes away does, and waits for the server to stop.</summary>
    public async Task CloseInputAsync()
    {
        await _toServer.Writer.CompleteAsync();
        await _server.WaitAsync(Hang);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        _stop.Cancel();
        try
        {
            await _server.WaitAsync(Hang);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
