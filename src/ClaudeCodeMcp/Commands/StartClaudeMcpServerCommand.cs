using System.Globalization;
using System.Management.Automation;
using System.Runtime.InteropServices;
using ClaudeCodeMcp.Mcp;

namespace ClaudeCodeMcp.Commands;

/// <summary>
/// Serves the Claude task tools over MCP on this process's stdin and stdout until stdin closes or the
/// pipeline is stopped, then stops the children it started. While it serves it writes nothing to any
/// PowerShell stream (pwsh would print it on stdout, inside the protocol): diagnostics go to stderr or
/// -LogFile.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "ClaudeMcpServer")]
[OutputType(typeof(void))]
public sealed class StartClaudeMcpServerCommand : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _signalled; // the server ended on a signal: a normal end, not a stopped pipeline

    /// <summary>How many children run at once; more tasks queue.</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int? ThrottleLimit { get; set; }

    /// <summary>The task store (default: $env:CLAUDE_CODE_MCP_STATE_DIR, else the user's state folder).</summary>
    [Parameter]
    public string? StateDirectory { get; set; }

    /// <summary>The claude executable (default: $env:CLAUDE_CODE_PATH, else claude on PATH).</summary>
    [Parameter]
    public string? ClaudePath { get; set; }

    /// <summary>Refuses a working_dir outside these folders.</summary>
    [Parameter]
    public string[] AllowedDirectory { get; set; } = [];

    /// <summary>Refuses skip_permissions and permission_mode bypassPermissions.</summary>
    [Parameter]
    public SwitchParameter DenySkipPermissions { get; set; }

    /// <summary>The model for tasks that name none.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ModelCompleter))]
    public string? DefaultModel { get; set; }

    /// <summary>At most this many children alive at once across every process sharing the state folder (default: $env:CLAUDE_CODE_MCP_MAX_CHILDREN, else 16).</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int? MaxChildren { get; set; }

    /// <summary>Starts tasks only below this nesting depth (default: $env:CLAUDE_CODE_MCP_MAX_DEPTH, else 1: a server inside a task starts none).</summary>
    [Parameter]
    [ValidateRange(1, 100)]
    public int? MaxDepth { get; set; }

    /// <summary>Refuses new tasks once the tasks of the state folder started in the last 24 hours have cost this many US dollars (default: $env:CLAUDE_CODE_MCP_DAILY_BUDGET_USD, else none).</summary>
    [Parameter]
    [ValidateRange(0.01, 1_000_000.0)]
    public double? DailyBudgetUsd { get; set; }

    /// <summary>Appends diagnostics to this file instead of stderr.</summary>
    [Parameter]
    public string? LogFile { get; set; }

    /// <summary>Reads requests from this stream instead of stdin (tests).</summary>
    [Parameter(DontShow = true)]
    public Stream? InputStream { get; set; }

    /// <summary>Writes responses to this stream instead of stdout (tests).</summary>
    [Parameter(DontShow = true)]
    public Stream? OutputStream { get; set; }

    protected override void EndProcessing()
    {
        var flags = Flags();
        var input = InputStream ?? Console.OpenStandardInput();
        var output = OutputStream ?? Console.OpenStandardOutput();
        try
        {
            using var signals = StopOnSignals();
            // The only call across the load-context boundary: plain streams, strings and a token.
            ClaudeMcpServer.RunAsync(input, output, flags, LogFile is null ? Console.Error : null, _stop.Token).GetAwaiter().GetResult();
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "InvalidServerOption", ErrorCategory.InvalidArgument, null));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ClaudeCodeMcp.Engine.ClaudeTaskException)
        {
            var error = new ErrorRecord(e, "ServerFailed", ErrorCategory.ResourceUnavailable, null);
            if (e is ClaudeCodeMcp.Engine.ClaudeTaskException engineError) error.ErrorDetails = new ErrorDetails(PowerShellHints.Words.Describe(engineError));
            ThrowTerminatingError(error);
        }
        if (_stop.IsCancellationRequested && !_signalled) throw new PipelineStoppedException();
    }

    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>
    /// While it serves, SIGINT, SIGTERM and SIGHUP stop the server here, at once, on the runtime's signal thread.
    /// Claude Code ends a run by sending its servers SIGINT, SIGTERM 0.1 s later and SIGKILL at 0.5 s; pwsh on its own
    /// dies of SIGTERM on the spot, leaving the children running, and stops a pipeline on SIGINT only after its own
    /// machinery has run, which a busy machine delays past the SIGKILL. Not in a server started with streams (tests).
    /// </summary>
    private Registrations? StopOnSignals()
    {
        if (OperatingSystem.IsWindows() || InputStream is not null) return null;
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // neither pwsh's own handling nor the default (death) follows
            _signalled = true;
            _stop.Cancel();
        }
        return new Registrations(
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop));
    }

    private sealed class Registrations(params PosixSignalRegistration[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations) registration.Dispose();
        }
    }

    public void Dispose() => _stop.Dispose();

    /// <summary>The <c>claude-code-mcp</c> flags of these parameters; paths are relative to the current location.</summary>
    internal List<string> Flags()
    {
        var flags = new List<string>();
        void Add(string flag, string? value)
        {
            if (value is null) return;
            flags.Add(flag);
            flags.Add(value);
        }
        Add("--throttle-limit", ThrottleLimit?.ToString(CultureInfo.InvariantCulture));
        Add("--state-dir", StateDirectory is null ? null : GetUnresolvedProviderPathFromPSPath(StateDirectory));
        Add("--claude-path", ClaudePath is null ? null : GetUnresolvedProviderPathFromPSPath(ClaudePath));
        foreach (var dir in AllowedDirectory) Add("--allowed-dir", GetUnresolvedProviderPathFromPSPath(dir));
        if (DenySkipPermissions) flags.Add("--deny-skip-permissions");
        Add("--default-model", DefaultModel);
        Add("--max-depth", MaxDepth?.ToString(CultureInfo.InvariantCulture));
        Add("--max-children", MaxChildren?.ToString(CultureInfo.InvariantCulture));
        Add("--daily-budget-usd", DailyBudgetUsd?.ToString(CultureInfo.InvariantCulture));
        Add("--log-file", LogFile is null ? null : GetUnresolvedProviderPathFromPSPath(LogFile));
        if (MyInvocation.BoundParameters.TryGetValue("Verbose", out var verbose) && verbose is SwitchParameter { IsPresent: true }) flags.Add("--verbose");
        return flags;
    }
}
