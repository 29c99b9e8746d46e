using System.Reflection;
using ClaudeCodeMcp.Engine;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// Serves the task tools over MCP on a pair of streams until the input ends or the token is cancelled,
/// then stops every child it started. The same code runs in <c>claude-code-mcp</c> and in
/// <c>Start-ClaudeMcpServer</c>; its entry point takes only plain .NET types.
/// </summary>
public static class ClaudeMcpServer
{
    public const string Name = "claude-code-mcp";

    private const string Instructions =
        "Runs Claude Code sessions as background tasks. Start work with claude_code_execute_async (several at once run in parallel), "
        + "then collect results with claude_code_wait; claude_code_execute runs one task and waits for it. "
        + "Tasks that edit the same repository in parallel should use isolation 'worktree': each works on a branch of its own. "
        + "A task is 'completed' only when the child finished successfully; read 'message' in each record for what to do next, "
        + "and claude_code_remove finished tasks you are done with.";

    public static string Version { get; } =
        typeof(ClaudeMcpServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Runs the server with the flags of <c>claude-code-mcp</c> (see <see cref="ServerFlags.Help"/>).</summary>
    public static Task RunAsync(Stream input, Stream output, IReadOnlyList<string> flags, TextWriter? diagnostics, CancellationToken cancellationToken) =>
        RunAsync(input, output, ServerFlags.Parse(flags), diagnostics, cancellationToken);

    /// <summary>Runs the server with settings already parsed (<see cref="ServerFlags.Parse"/>).</summary>
    public static Task RunAsync(Stream input, Stream output, ClaudeMcpServerSettings settings, TextWriter? diagnostics, CancellationToken cancellationToken) =>
        RunAsync(input, output, settings, null, diagnostics, cancellationToken);

    internal static async Task RunAsync(Stream input, Stream output, ClaudeMcpServerSettings settings, ClaudeEngineOptions? engine,
        TextWriter? diagnostics, CancellationToken cancellationToken)
    {
        using var logWriter = OpenLog(settings.LogFile);
        var logs = new TextWriterLoggerFactory(logWriter ?? diagnostics ?? Console.Error, settings.Verbose ? LogLevel.Information : LogLevel.Warning);
        await using var manager = new ClaudeTaskManager((engine ?? new ClaudeEngineOptions()) with
        {
            StateDirectory = settings.StateDirectory ?? engine?.StateDirectory,
            ClaudePath = settings.ClaudePath ?? engine?.ClaudePath,
            ThrottleLimit = settings.ThrottleLimit,
            MaxDepth = settings.MaxDepth ?? engine?.MaxDepth,
            MaxChildren = settings.MaxChildren ?? engine?.MaxChildren,
            DailyBudgetUsd = settings.DailyBudgetUsd ?? engine?.DailyBudgetUsd,
        });
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The end of the session (a signal, a stopped pipeline, the end of input) stops the children first, on the
        // thread that learns of it: Claude Code SIGKILLs its servers 0.5 s after the SIGINT that ends a run, and
        // unwinding the session goes through the thread pool, which a busy machine may keep waiting. Registered
        // after the linked session, so it runs before the session's own callbacks.
        using var stopChildren = cancellationToken.UnsafeRegister(_ => manager.BeginShutdown(), null);
        // Not disposed: the stdin reader may still cancel it as the session unwinds (it holds no timer).
        var inputEnded = new CancellationTokenSource();
        var unanswered = new UnansweredRequests();
        var options = CreateOptions(new ClaudeTaskTools(manager, new TaskRequests(settings)), unanswered, session.Token, inputEnded.Token,
            message => logs.Write(LogLevel.Error, Name, message));
        logs.Write(LogLevel.Information, Name, $"serving {options.ToolCollection!.Count} tools, state in {manager.StateDirectory}");

        // At the end of input, what was read is answered before the transport sees the end (it sends nothing after): a
        // wait was cancelled as soon as the end was seen, and says so; the rest finish; a call stuck past the grace is
        // left, then the session ends.
        async Task EndOfInputAsync(CancellationToken readCancelled)
        {
            var pending = unanswered.Count;
            if (pending > 0) logs.Write(LogLevel.Information, Name, $"input ended; answering the {pending} request(s) already read");
            try
            {
                await unanswered.WhenAllAnsweredAsync(readCancelled).WaitAsync(EndOfInputGrace, readCancelled).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                logs.Write(LogLevel.Warning, Name,
                    $"input ended; {unanswered.Count} request(s) still unanswered after {EndOfInputGrace.TotalSeconds:0} s are left without an answer");
            }
            manager.BeginShutdown();
            await session.CancelAsync().ConfigureAwait(false);
        }

        var reader = new PacedInputStream(input, unanswered, MaxUnansweredRequests,
            () => logs.Write(LogLevel.Warning, Name,
                $"stopped reading input: {MaxUnansweredRequests} requests are unanswered (is the client reading its answers?); reading resumes as they are answered"),
            () => _ = inputEnded.CancelAsync(),
            EndOfInputAsync);
        var transport = new AnswerCountingTransport(new StreamServerTransport(reader, output, Name, logs), unanswered);
        await using (transport.ConfigureAwait(false))
        {
            var server = McpServer.Create(transport, options, logs);
            await using (server.ConfigureAwait(false))
            {
                try
                {
                    await server.RunAsync(session.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (session.IsCancellationRequested)
                {
                    // stdin closed, or the host asked us to stop: a normal end.
                }
            }
        }
        logs.Write(LogLevel.Information, Name, cancellationToken.IsCancellationRequested
            ? "asked to stop (a signal, or the pipeline ended); stopping children"
            : "input ended; stopping children");
    }

    /// <summary>
    /// Requests read and not yet answered, per connection, before the server stops reading its input: enough for any
    /// client's parallel calls, few enough that a client flooding requests without reading answers cannot grow the server.
    /// </summary>
    internal const int MaxUnansweredRequests = 100;

    /// <summary>After the input ends, how long the requests already read have to be answered before the server ends anyway.</summary>
    private static readonly TimeSpan EndOfInputGrace = TimeSpan.FromSeconds(2);

    private static McpServerOptions CreateOptions(ClaudeTaskTools tools, UnansweredRequests unanswered, CancellationToken session,
        CancellationToken inputEnded, Action<string> log)
    {
        var collection = new McpServerPrimitiveCollection<McpServerTool>();
        foreach (var tool in tools.Create()) collection.Add(tool);
        var options = new McpServerOptions
        {
            ServerInfo = new Implementation { Name = Name, Version = Version },
            ServerInstructions = Instructions,
            ToolCollection = collection,
        };
        options.Filters.Message.IncomingFilters.Add(CancelledRequestFilter.Create(unanswered, session));
        options.Filters.Request.CallToolFilters.Add(next => ToolErrorFilter.Wrap(next, log));
        options.Filters.Request.CallToolFilters.Add(next => InputEndFilter.Wrap(next, inputEnded));
        return options;
    }

    /// <summary>Appends to the log without following a link there, and only to a regular file of the user's.</summary>
    private static StreamWriter? OpenLog(string? path) =>
        path is null ? null : new StreamWriter(Engine.Store.DiagnosticLogFile.OpenAppend(path)) { AutoFlush = true };
}
