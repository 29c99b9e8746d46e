using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;
using ClaudeCodeMcp.Reliability.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Reliability.Tests.Faults;

/// <summary>Something outside the product kills a child (the OOM killer, a user's kill, a crash).</summary>
public sealed class ChildKilledTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(Native.SigKill, "SIGKILL")]
    [InlineData(Native.SigTerm, "SIGTERM")]
    [InlineData(1, "SIGHUP")]
    public async Task Child_killed_from_outside_is_failed_with_the_signal_in_the_reason(int signal, string name)
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var started = manager.Start(sandbox.Spec("fake:tool-start Bash\nfake:sleep 60000"));
        var witness = manager.Start(sandbox.Spec("fake:sleep 300\nfake:text unaffected"));
        Assert.NotNull(started.Child);
        // Its init event means the fake is running its script, its signal handlers installed (as the real CLI's are by then).
        await Eventually.TrueAsync(() => manager.Get(started.Id)!.SessionId is not null, "the child's init event");

        Assert.True(Native.Signal(started.Child!.Pid, signal));
        var records = await manager.WaitAsync([started.Id, witness.Id]).WaitAsync(Hang);

        Assert.Equal(ClaudeTaskState.Failed, records[0].State);
        Assert.Contains(name, records[0].Error);
        Assert.Equal(ClaudeTaskState.Completed, records[1].State);
        Assert.Equal("unaffected", records[1].Result);
        Assert.Equal(ClaudeTaskState.Failed, new Engine.Store.TaskStore(sandbox.StateDir).Read(started.Id)!.State);
    }

    [Fact]
    public async Task Over_mcp_a_child_killed_from_outside_reads_failed_with_the_signal_and_the_server_serves_on()
    {
        await using var sandbox = new Sandbox();
        await using var host = await StdioHost.StartAsync(sandbox);
        var started = await host.CallToolAsync("claude_code_execute_async", new { prompt = "fake:sleep 60000", working_dir = sandbox.WorkDir });
        var id = started.StructuredContent().GetProperty("task_id").GetString()!;
        await Eventually.TrueAsync(() => ProcessAssert.RunningIn(sandbox.WorkDir).Count == 1, "the child");
        var pid = ProcessAssert.RunningIn(sandbox.WorkDir).Single();

        Assert.True(Native.Signal(pid, Native.SigKill));
        var waited = await host.CallToolAsync("claude_code_wait", new { task_ids = new[] { id }, timeout = 30 });
        var check = await host.CallToolAsync("claude_code_check_result", new { task_id = id });

        var record = waited.StructuredContent().GetProperty("tasks")[0];
        Assert.Equal("failed", record.GetProperty("status").GetString());
        Assert.Contains("SIGKILL", record.GetProperty("error").GetString());
        Assert.Contains("SIGKILL", check.StructuredContent().GetProperty("error").GetString());
        var next = await host.CallToolAsync("claude_code_execute", new { prompt = "still serving", working_dir = sandbox.WorkDir });
        Assert.False(next.IsError(), next.Text());
        host.AssertOnlyJsonRpc();
    }
}
