using System.Collections.Concurrent;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace ClaudeCodeMcp.EndToEnd.Tests.Support;

/// <summary>
/// One test's world: a <see cref="Sandbox"/> (throwaway HOME, state and working folders), the fake Messages API,
/// and the environment every real <c>claude</c> gets (pointed at the fake, no retries, no other traffic).
/// Everything this rig starts runs with its working directory inside the sandbox, and disposing it checks that
/// nothing is left running there.
/// </summary>
public sealed class EndToEndRig : IAsyncDisposable
{
    /// <summary>
    /// Bounds every wait in these tests, to catch hangs only. A run against the fake takes well under a second on a quiet
    /// machine, but the real CLI is a large Node program: at a load of 40 on 2 cores it took 8 s a turn, and a parent run
    /// with a child past 60 s (two clean-clone runs failed so). Three minutes is slow enough for that and still a hang.
    /// </summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(180);

    /// <summary>
    /// Timeouts, in seconds, for a test that needs its child stalled on the API before the task's timeout fires. A cold
    /// CLI on a busy machine can take longer than the first to get there, which proves nothing about a stalled child; so
    /// such a test tries again with the next, keeping the quiet case short.
    /// </summary>
    public static readonly int[] StallTimeouts = [15, 30, 60];

    /// <summary>Waits up to <paramref name="within"/> for a request of turn 1 whose first message holds <paramref name="marker"/>.</summary>
    public async Task<bool> ReachesTurnOneAsync(string marker, TimeSpan within)
    {
        try
        {
            await Api.WaitForRequestAsync(r => r.Turn == 1 && r.FirstUserText.Contains(marker, StringComparison.Ordinal), within);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private readonly List<McpClient> _clients = [];

    private EndToEndRig(Sandbox sandbox, FakeAnthropicApi api)
    {
        Sandbox = sandbox;
        Api = api;
        Directory.CreateDirectory(TmpDir);
        Directory.CreateDirectory(HostDir);
        var env = sandbox.Environment;
        // Nothing of the caller's own Claude setup may reach the children: no keys, no config folder, no proxies.
        foreach (var name in env.Keys.ToList())
        {
            if (name.StartsWith("ANTHROPIC_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("CLAUDE", StringComparison.OrdinalIgnoreCase)
                || name.Contains("PROXY", StringComparison.OrdinalIgnoreCase) || name.StartsWith("XDG_", StringComparison.Ordinal)
                || name.StartsWith("AWS_", StringComparison.Ordinal) || name.StartsWith("GOOGLE_", StringComparison.Ordinal))
                env.Remove(name);
        }
        env["ANTHROPIC_BASE_URL"] = api.BaseUrl;
        env["ANTHROPIC_API_KEY"] = "dummy";
        env["CLAUDE_CODE_MAX_RETRIES"] = "0";
        env["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1";
        env["DISABLE_TELEMETRY"] = "1";
        env["DISABLE_ERROR_REPORTING"] = "1";
        env["DISABLE_AUTOUPDATER"] = "1";
        env["CLAUDE_CODE_TMPDIR"] = TmpDir;
        env["NO_PROXY"] = "127.0.0.1,localhost";
        env["XDG_CONFIG_HOME"] = Path.Combine(sandbox.Home, ".config");
        env["XDG_CACHE_HOME"] = Path.Combine(sandbox.Home, ".cache");
        env["XDG_DATA_HOME"] = Path.Combine(sandbox.Home, ".local", "share");
        env["XDG_STATE_HOME"] = Path.Combine(sandbox.Home, ".local", "state");
        // As root, skip-permissions refuses to start unless the CLI is told this is a sandbox.
        if (System.Environment.UserName == "root") env["IS_SANDBOX"] = "1";
    }

    public static async Task<EndToEndRig> StartAsync()
    {
        RealClaude.SkipUnlessInstalled();
        var sandbox = new Sandbox();
        FakeAnthropicApi? api = null;
        try
        {
            api = await FakeAnthropicApi.StartAsync();
            return new EndToEndRig(sandbox, api);
        }
        catch
        {
            if (api is not null) await api.DisposeAsync();
            await sandbox.DisposeAsync();
            throw;
        }
    }

    public Sandbox Sandbox { get; }
    public FakeAnthropicApi Api { get; }
    public string Root => Sandbox.Root;
    public string WorkDir => Sandbox.WorkDir;
    public string TmpDir => Path.Combine(Sandbox.Root, "tmp");

    /// <summary>The MCP host's working directory: inside the sandbox (so it is checked gone), apart from the children's.</summary>
    public string HostDir => Path.Combine(Sandbox.Root, "host");

    /// <summary>The environment of every process these tests start.</summary>
    public Dictionary<string, string> Environment => Sandbox.Environment;

    public ConcurrentQueue<string> HostStderr { get; } = new();

    /// <summary>The variables this rig sets for a child to talk to the fake API (and nothing else); not HOME nor XDG_*.</summary>
    public static IReadOnlyList<string> ApiVariables { get; } =
    [
        "ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY", "CLAUDE_CODE_MAX_RETRIES", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "DISABLE_TELEMETRY",
        "DISABLE_ERROR_REPORTING", "DISABLE_AUTOUPDATER", "CLAUDE_CODE_TMPDIR", "NO_PROXY", "IS_SANDBOX",
    ];

    /// <summary>
    /// <see cref="Environment"/> split in two: everything but <see cref="ApiVariables"/> (still the sandbox's HOME and
    /// XDG folders), and those variables as the rig gives them to children.
    /// </summary>
    public (Dictionary<string, string> Others, Dictionary<string, string> Api) SplitApiEnvironment()
    {
        var rest = new Dictionary<string, string>(Environment, StringComparer.Ordinal);
        var api = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in ApiVariables)
        {
            if (rest.Remove(name, out var value)) api[name] = value;
        }
        return (rest, api);
    }

    public ClaudeEngineOptions EngineOptions(int throttle = 4) => new()
    {
        StateDirectory = Sandbox.StateDir,
        ClaudePath = RealClaude.Executable,
        ThrottleLimit = throttle,
        StopGracePeriod = TimeSpan.FromSeconds(3),
        ShutdownGracePeriod = TimeSpan.FromSeconds(1),
        ResultExitGracePeriod = TimeSpan.FromSeconds(3),
        BaseEnvironment = Environment,
    };

    /// <summary>An engine on the real CLI; disposed (and its children checked gone) with the sandbox.</summary>
    public ClaudeTaskManager Manager(int throttle = 4) => Sandbox.Manager(EngineOptions(throttle));

    /// <summary>A task in the sandbox's working folder, always bounded in turns and time.</summary>
    public ClaudeTaskSpec Spec(string prompt, int maxTurns = 4, TimeSpan? timeout = null, bool skipPermissions = true) => new()
    {
        Prompt = prompt,
        WorkingDirectory = WorkDir,
        MaxTurns = maxTurns,
        Timeout = timeout ?? Hang,
        SkipPermissions = skipPermissions,
    };

    /// <summary>The standalone host's command line: the real CLI for children, state in the sandbox.</summary>
    public string[] HostArguments(params string[] flags) =>
        ["--state-dir", Sandbox.StateDir, "--claude-path", RealClaude.Executable, .. flags];

    /// <summary>
    /// Starts out/claude-code-mcp/claude-code-mcp over stdio with the SDK's own client, in the sandbox's environment
    /// plus <paramref name="extraEnvironment"/>.
    /// </summary>
    public async Task<McpClient> StartHostAsync(IReadOnlyDictionary<string, string>? extraEnvironment = null, params string[] flags)
    {
        var env = Environment.ToDictionary(kv => kv.Key, kv => (string?)kv.Value, StringComparer.Ordinal);
        foreach (var (k, v) in extraEnvironment ?? new Dictionary<string, string>()) env[k] = v;
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "tasks",
            Command = RealClaude.ServerHost,
            Arguments = HostArguments(flags),
            WorkingDirectory = HostDir,
            InheritEnvironmentVariables = false,
            EnvironmentVariables = env,
            StandardErrorLines = line => HostStderr.Enqueue(line),
            ShutdownTimeout = TimeSpan.FromSeconds(10),
        });
        var client = await McpClient.CreateAsync(transport,
            new McpClientOptions { ClientInfo = new Implementation { Name = "end-to-end-tests", Version = "1" } }).WaitAsync(Hang);
        _clients.Add(client);
        return client;
    }

    /// <summary>Live processes whose working directory is in the children's folder.</summary>
    public List<int> ChildrenLeft() => ProcessAssert.RunningIn(WorkDir);

    /// <summary>Waits (10 s by default) for no process to be left in <paramref name="folder"/> (default: the whole sandbox); kills them and fails otherwise.</summary>
    public Task AssertNothingLeftAsync(string? folder = null, TimeSpan? within = null) =>
        ProcessAssert.AssertNoneLeftInAsync(folder ?? Root, within ?? TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var client in _clients)
            {
                try
                {
                    await client.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
                }
                catch (Exception e) when (e is TimeoutException or IOException or InvalidOperationException)
                {
                }
            }
        }
        finally
        {
            try
            {
                // Disposes the engines, checks their children and anything else in the sandbox gone, deletes the sandbox.
                await Sandbox.DisposeAsync();
            }
            finally
            {
                await Api.DisposeAsync();
            }
        }
    }
}
