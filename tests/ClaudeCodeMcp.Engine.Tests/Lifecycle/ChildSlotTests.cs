using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

/// <summary>
/// The store-wide limit on children (CLAUDE_CODE_MCP_MAX_CHILDREN): never more alive at once across every process that
/// shares the state folder, the rest queued and saying why, and a process killed with SIGKILL keeps no slot.
/// </summary>
public sealed class ChildSlotTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the two other processes run with .NET's own file locking turned off
    public async Task Three_processes_sharing_a_store_never_have_more_children_alive_than_the_limit_and_all_tasks_complete(bool dotnetLockingOff)
    {
        await using var sandbox = new Sandbox();
        sandbox.Environment["CLAUDE_CODE_MCP_MAX_CHILDREN"] = "2";
        if (dotnetLockingOff) sandbox.Environment["DOTNET_SYSTEM_IO_DISABLEFILELOCKING"] = "1";
        var manager = sandbox.Manager();
        var hosts = new[] { sandbox.StartHost(), sandbox.StartHost() };
        foreach (var host in hosts) Assert.Equal("ready", await host.ReadLineAsync());
        var prompt = sandbox.File("prompt.txt");
        await File.WriteAllTextAsync(prompt, "fake:sleep 700\nfake:text done");

        // Sample the children alive (from /proc) the whole time, while each process starts three tasks.
        using var sampling = new CancellationTokenSource();
        var most = 0;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                most = Math.Max(most, ProcessAssert.RunningIn(sandbox.WorkDir).Count);
                await Task.Delay(10);
            }
        });
        var ours = Enumerable.Range(0, 3).Select(_ => manager.Start(sandbox.Spec("fake:sleep 700\nfake:text done")).Id).ToList();
        var theirs = new List<(EngineHostProcess Host, string Id)>();
        foreach (var host in hosts)
        {
            for (var i = 0; i < 3; i++) theirs.Add((host, (await host.StartTaskAsync(prompt)).Id));
        }
        var waiting = await Eventually.ValueAsync(() => manager.List().FirstOrDefault(r => r.Activity?.Waiting is not null), "a task waiting for a slot", Hang);
        var done = await manager.WaitAsync(ours.Concat(theirs.Select(t => t.Id)), timeout: Hang);
        sampling.Cancel();
        await sampler;

        Assert.All(done, r => Assert.Equal(ClaudeTaskState.Completed, r.State));
        Assert.InRange(most, 1, 2);
        Assert.Contains("waiting for a store-wide slot: 2 children", waiting.Activity!.Describe());
        foreach (var (host, _) in theirs.DistinctBy(t => t.Host)) Assert.Equal("bye", await host.SendAsync("exit"));
    }

    [Fact]
    public async Task A_slot_holder_killed_with_SIGKILL_frees_its_slot()
    {
        await using var sandbox = new Sandbox();
        sandbox.Environment["CLAUDE_CODE_MCP_MAX_CHILDREN"] = "1";
        var host = sandbox.StartHost();
        Assert.Equal("ready", await host.ReadLineAsync());
        var prompt = sandbox.File("prompt.txt");
        await File.WriteAllTextAsync(prompt, "fake:sleep 60000");
        var (_, holder) = await host.StartTaskAsync(prompt);
        await Eventually.TrueAsync(() => ProcessAssert.RunningIn(sandbox.WorkDir).Count == 1, "the host's child to hold the only slot", Hang);
        var manager = sandbox.Manager();

        var queued = manager.Start(sandbox.Spec("after the slot frees"));
        var waiting = await Eventually.ValueAsync(() => manager.Get(queued.Id) is { Activity.Waiting: not null } r ? r : null, "the task to wait for the slot", Hang);
        Assert.Equal(ClaudeTaskState.Queued, waiting.State);

        await host.KillAsync(); // SIGKILL: no cleanup; its watchdog stops its child, the kernel drops its lock
        var done = (await manager.WaitAsync([queued.Id], timeout: Hang))[0];

        Assert.Equal(ClaudeTaskState.Completed, done.State);
        Assert.Equal("after the slot frees", done.Result);
        await ProcessAssert.AssertGoneAsync(holder > 0 ? [holder] : []);
    }
}
