using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;
using Xunit.Abstractions;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

/// <summary>
/// Children die with their owner, however it ends: an owner killed with SIGKILL (as Claude Code does to a server that
/// is not done 0.5 s after its SIGINT) leaves no child running, with nobody else reading the store.
/// </summary>
public sealed class OwnerDeathTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_owner_killed_with_sigkill_takes_every_child_tree_with_it_and_leaves_no_process_of_ours()
    {
        await using var sandbox = new Sandbox();
        var host = sandbox.StartHost(throttle: 8);
        Assert.Equal("ready", await host.ReadLineAsync());
        var pids = sandbox.File("grandchildren");
        var stubborn = sandbox.File("stubborn.txt");
        // Children that ignore SIGTERM, each with a grandchild in a session of its own that ignores it too.
        File.WriteAllText(stubborn, $"fake:ignore-sigterm\nfake:spawn {pids} 1\nfake:tool-start Bash\nfake:sleep 60000");
        var running = new List<(string Id, int Pid)>();
        for (var i = 0; i < 5; i++) running.Add(await host.StartTaskAsync(stubborn));
        await ProcessAssert.PidFileAsync(pids, 5);
        var trees = ProcessAssert.ReadPidFile(pids).Concat(running.Select(r => r.Pid)).ToList();
        Assert.Equal(10, trees.Count);
        var watchdog = ProcessAssert.WatchdogOf(host.Process.Id);
        Assert.NotNull(watchdog);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await host.KillAsync();

        // Nobody reads the store: the children and their trees end all the same, and so does the watchdog.
        await ProcessAssert.AssertGoneAsync(trees, TimeSpan.FromSeconds(5));
        output.WriteLine($"10 processes gone {clock.ElapsedMilliseconds} ms after the SIGKILL of their owner");
        await ProcessAssert.AssertGoneAsync([watchdog.Value], TimeSpan.FromSeconds(5));
        await ProcessAssert.AssertNoneLeftInAsync(sandbox.WorkDir, TimeSpan.FromSeconds(5));

        // The next reader says what happened.
        var later = sandbox.Manager();
        foreach (var (id, _) in running)
        {
            var record = later.Get(id)!;
            Assert.Equal(ClaudeTaskState.Failed, record.State);
            Assert.Contains($"(pid {host.Process.Id}) ended while it was running", record.Error);
            Assert.Null(record.Child);
        }
    }

    [Fact]
    public async Task An_owner_that_ends_normally_leaves_no_watchdog_behind()
    {
        await using var sandbox = new Sandbox();
        var host = sandbox.StartHost();
        Assert.Equal("ready", await host.ReadLineAsync());
        var quick = sandbox.File("quick.txt");
        File.WriteAllText(quick, "fake:text done");
        var (id, _) = await host.StartTaskAsync(quick);
        Assert.Equal($"finished {id} completed", await host.SendAsync($"wait {id}"));
        var watchdog = ProcessAssert.WatchdogOf(host.Process.Id);
        Assert.NotNull(watchdog);

        Assert.Equal("bye", await host.SendAsync("exit"));
        await host.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        await ProcessAssert.AssertGoneAsync([watchdog.Value], TimeSpan.FromSeconds(5));
        Assert.Equal(ClaudeTaskState.Completed, sandbox.Manager().Get(id)!.State);
    }
}
