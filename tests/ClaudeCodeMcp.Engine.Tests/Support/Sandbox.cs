using ClaudeCodeMcp.Engine.Store;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Engine.Tests.Support;

/// <summary>
/// A private temp folder per test: state, working directory and HOME. Managers made here point at the
/// fake claude and are disposed with the sandbox; every child pid they reported is checked gone.
/// </summary>
public sealed class Sandbox : IAsyncDisposable
{
    private readonly List<ClaudeTaskManager> _managers = [];
    private readonly List<System.Diagnostics.Process> _hosts = [];

    public Sandbox()
    {
        Root = Path.Combine(Path.GetTempPath(), "ccm-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(WorkDir);
        Directory.CreateDirectory(Home);
        Environment = ChildEnvironment.Current();
        Environment["HOME"] = Home;
        // Nor does the test run's own nesting (a developer's session inside a Claude task) reach the engines here.
        foreach (var name in new[] { ClaudeExecutableLocator.PathVariable, StateDirectory.Variable, TaskNesting.DepthVariable, TaskNesting.MaxDepthVariable, TaskNesting.TaskIdVariable, SpendGuard.Variable })
            Environment.Remove(name);
    }

    public string Root { get; }
    public string StateDir => Path.Combine(Root, "state");
    public string WorkDir => Path.Combine(Root, "work");
    public string Home => Path.Combine(Root, "home");
    public Dictionary<string, string> Environment { get; }

    /// <summary>Child pids seen in records, checked gone at the end.</summary>
    public HashSet<int> ChildPids { get; } = [];

    public ClaudeEngineOptions Options(int throttle = 4) => new()
    {
        StateDirectory = StateDir,
        ClaudePath = TestPaths.FakeClaude,
        ThrottleLimit = throttle,
        StopGracePeriod = TimeSpan.FromMilliseconds(700),
        ResultExitGracePeriod = TimeSpan.FromMilliseconds(500),
        BaseEnvironment = Environment,
    };

    public ClaudeTaskManager Manager(ClaudeEngineOptions? options = null)
    {
        var manager = new ClaudeTaskManager(options ?? Options());
        manager.TaskChanged += r =>
        {
            if (r.Child is { } child) lock (ChildPids) ChildPids.Add(child.Pid);
        };
        _managers.Add(manager);
        return manager;
    }

    public ClaudeTaskSpec Spec(string prompt) => new() { Prompt = prompt, WorkingDirectory = WorkDir };

    public string File(string name) => Path.Combine(Root, name);

    /// <summary>Starts the EngineHost: a second process that owns tasks in the same state folder.</summary>
    public EngineHostProcess StartHost(int throttle = 4)
    {
        var host = EngineHostProcess.Start(StateDir, TestPaths.FakeClaude, WorkDir, Environment, throttle);
        _hosts.Add(host.Process);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var manager in _managers) await manager.DisposeAsync();
        foreach (var host in _hosts)
        {
            if (!host.HasExited) host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
            host.Dispose();
        }
        int[] pids;
        lock (ChildPids) pids = [.. ChildPids];
        try
        {
            await ProcessAssert.GoneAsync(pids);
            // Whatever a child started runs in the sandbox too: nothing may be left there.
            await ProcessAssert.GoneAsync(ProcessAssert.RunningIn(Root));
        }
        finally
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
