// claude-code-mcp: the standalone stdio MCP host. Flags, signals, run, exit; everything else is in ClaudeCodeMcp.Mcp.
// Only JSON-RPC ever reaches stdout: diagnostics go to stderr or --log-file.
using System.Runtime.InteropServices;
using ClaudeCodeMcp.Mcp;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.Out.WriteLine(ServerFlags.Help);
    return 0;
}
if (args.Contains("--version"))
{
    Console.Out.WriteLine($"{ClaudeMcpServer.Name} {ClaudeMcpServer.Version}");
    return 0;
}
ClaudeMcpServerSettings settings;
try
{
    settings = ServerFlags.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"{ClaudeMcpServer.Name}: {e.Message}");
    return 2;
}

// File writes block pool threads for moments; enough threads that requests never queue behind them.
ThreadPool.GetMinThreads(out var workers, out var io);
ThreadPool.SetMinThreads(Math.Max(workers, 16), io);

// Claude Code ends a -p run by sending SIGINT to its stdio servers; SIGTERM is the usual stop. Both end
// the session cleanly (children stopped) instead of killing the process on the spot.
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);

try
{
    await ClaudeMcpServer.RunAsync(Console.OpenStandardInput(), Console.OpenStandardOutput(), settings, Console.Error, stop.Token);
    return 0;
}
catch (Exception e) when (e is ClaudeCodeMcp.Engine.ClaudeTaskException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"{ClaudeMcpServer.Name}: {(e is ClaudeCodeMcp.Engine.ClaudeTaskException engineError ? ServerFlagHints.Words.Describe(engineError) : e.Message)}");
    return 1;
}
