using System.Diagnostics;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Store;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;
using ClaudeCodeMcp.Reliability.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Reliability.Tests.Faults;

/// <summary>
/// The state folder fills up (a 64 KiB tmpfs) or turns read-only (a read-only bind remount; root ignores
/// chmod): a clear error naming the folder, no crash, and service resumes when the folder is usable again.
/// </summary>
public sealed class StateFolderTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task Full_state_folder_gives_a_clear_error_from_the_engine_and_it_recovers_when_space_returns()
    {
        await using var sandbox = new Sandbox();
        using var disk = TinyDisk(sandbox);
        var options = sandbox.Options() with { StateDirectory = Path.Combine(disk.Path, "state") };
        var manager = sandbox.Manager(options);
        var before = await RunAsync(manager, sandbox.Spec("before the disk filled"));
        Assert.Equal(ClaudeTaskState.Completed, before.State);

        var filler = Fill(disk.Path);
        var error = Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec("no room")));

        Assert.Equal(ClaudeErrorCode.StateDirectoryUnavailable, error.Code);
        Assert.Contains(options.StateDirectory!, error.Message);
        Assert.Contains("free space", error.Message);
        Assert.Equal(before.Result, Assert.Single(manager.List(), r => r.Id == before.Id).Result);
        File.Delete(filler);
        var after = await RunAsync(manager, sandbox.Spec("after space returned"));
        Assert.Equal(ClaudeTaskState.Completed, after.State);
        Assert.Equal("after space returned", after.Result);
    }

    [SkippableFact]
    public async Task A_start_refused_on_a_full_disk_leaves_no_phantom_task_behind()
    {
        await using var sandbox = new Sandbox();
        using var disk = TinyDisk(sandbox);
        var manager = sandbox.Manager(sandbox.Options() with { StateDirectory = Path.Combine(disk.Path, "state") });
        var filler = Fill(disk.Path);

        for (var i = 0; i < 3; i++) Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec(new string('p', 10_000))));
        File.Delete(filler);

        Assert.Empty(manager.List()); // it shows 3 unreadable tasks ("its record is missing")
    }

    [SkippableFact]
    public async Task A_task_whose_output_cannot_be_saved_on_a_full_disk_still_ends_completed_with_its_result_and_a_note()
    {
        await using var sandbox = new Sandbox();
        using var disk = TinyDisk(sandbox);
        var manager = sandbox.Manager(sandbox.Options() with { StateDirectory = Path.Combine(disk.Path, "state") });
        var task = manager.Start(sandbox.Spec("fake:sleep 1500\nfake:huge 200000\nfake:text the end"));
        Fill(disk.Path);

        var done = (await manager.WaitAsync([task.Id]).WaitAsync(Hang))[0];

        Assert.Equal(ClaudeTaskState.Completed, done.State); // today: Failed, "The engine lost track of the child (IOException ...)"
        Assert.Equal("the end", done.Result);
        Assert.Contains("could not be saved", done.Error ?? "");
    }

    [SkippableFact]
    public async Task A_task_that_ends_while_the_disk_is_full_reaches_its_final_record_on_disk_once_space_returns()
    {
        await using var sandbox = new Sandbox();
        using var disk = TinyDisk(sandbox);
        var options = sandbox.Options() with { StateDirectory = Path.Combine(disk.Path, "state") };
        var manager = sandbox.Manager(options);
        var task = manager.Start(sandbox.Spec("fake:sleep 1000\nfake:text the end"));
        var filler = Fill(disk.Path);

        var done = (await manager.WaitAsync([task.Id]).WaitAsync(Hang))[0];
        Assert.True(done.IsFinished);
        await Task.Delay(1500); // past the engine's retries
        File.Delete(filler);

        // Another process's view, once the folder has room again: today it stays "running" forever.
        var other = sandbox.Manager(options);
        await Eventually.TrueAsync(() => other.Get(task.Id)!.IsFinished, "the final record on disk", TimeSpan.FromSeconds(10));
    }

    [SkippableFact]
    public async Task Full_state_folder_over_mcp_is_an_error_result_with_the_reason_and_the_server_serves_on()
    {
        await using var sandbox = new Sandbox();
        using var disk = TinyDisk(sandbox);
        var state = Path.Combine(disk.Path, "state");
        await using var host = await StdioHost.StartAsync(sandbox, "--state-dir", state);
        var first = await host.CallToolAsync("claude_code_execute", new { prompt = "room enough", working_dir = sandbox.WorkDir });
        Assert.False(first.IsError(), first.Text());

        var filler = Fill(disk.Path);
        var refused = await host.CallToolAsync("claude_code_execute_async", new { prompt = "no room", working_dir = sandbox.WorkDir });
        var list = await host.CallToolAsync("claude_code_list_tasks", new { });

        Assert.True(refused.IsError());
        Assert.Contains(state, refused.Text());
        Assert.Contains("free space", refused.Text());
        Assert.False(list.IsError(), list.Text());
        File.Delete(filler);
        var again = await host.CallToolAsync("claude_code_execute", new { prompt = "room again", working_dir = sandbox.WorkDir });
        Assert.False(again.IsError(), again.Text());
        Assert.False(host.Process.HasExited);
        host.AssertOnlyJsonRpc();
    }

    [SkippableFact]
    public async Task State_folder_turned_read_only_gives_clear_errors_from_the_engine_reads_go_on_and_writes_resume()
    {
        await using var sandbox = new Sandbox();
        using var bind = BoundStateFolder(sandbox);
        var options = sandbox.Options() with { StateDirectory = bind.Path };
        var manager = sandbox.Manager(options);
        var finished = await RunAsync(manager, sandbox.Spec("written before"));
        var running = manager.Start(sandbox.Spec("fake:sleep 800\nfake:text ended while read-only"));

        bind.ReadOnly();
        try
        {
            var start = Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec("refused")));
            Assert.Equal(ClaudeErrorCode.StateDirectoryUnavailable, start.Code);
            Assert.Contains(bind.Path, start.Message);
            var remove = await Assert.ThrowsAsync<ClaudeTaskException>(() => manager.RemoveAsync(finished.Id));
            Assert.Equal(ClaudeErrorCode.StateDirectoryUnavailable, remove.Code);
            Assert.Equal("written before", manager.Get(finished.Id)!.Result);
            var ended = (await manager.WaitAsync([running.Id]).WaitAsync(Hang))[0];
            Assert.Equal(ClaudeTaskState.Completed, ended.State); // known in this process even though it cannot be saved
            Assert.Equal(2, manager.List().Count);
            // A new engine cannot even open a read-only store: a clear error, not a crash.
            var open = Assert.Throws<ClaudeTaskException>(() => new ClaudeTaskManager(options));
            Assert.Equal(ClaudeErrorCode.StateDirectoryUnavailable, open.Code);
            Assert.Equal(ClaudeHint.ChooseStateDirectory, open.Hint); // each door names its own way to choose another
        }
        finally
        {
            bind.Writable();
        }
        var after = await RunAsync(manager, sandbox.Spec("writable again"));
        Assert.Equal(ClaudeTaskState.Completed, after.State);
    }

    [SkippableFact]
    public async Task State_folder_turned_read_only_over_mcp_is_an_error_result_and_the_server_serves_on()
    {
        await using var sandbox = new Sandbox();
        using var bind = BoundStateFolder(sandbox);
        await using var host = await StdioHost.StartAsync(sandbox, "--state-dir", bind.Path);
        var done = await host.CallToolAsync("claude_code_execute", new { prompt = "before", working_dir = sandbox.WorkDir });
        var doneId = done.StructuredContent().GetProperty("task_id").GetString()!;
        var running = await host.CallToolAsync("claude_code_execute_async", new { prompt = "fake:sleep 60000", working_dir = sandbox.WorkDir });
        var runningId = running.StructuredContent().GetProperty("task_id").GetString()!;

        bind.ReadOnly();
        try
        {
            var refused = await host.CallToolAsync("claude_code_execute_async", new { prompt = "refused", working_dir = sandbox.WorkDir });
            Assert.True(refused.IsError());
            Assert.Contains(bind.Path, refused.Text());
            Assert.Contains("writable", refused.Text());
            var check = await host.CallToolAsync("claude_code_check_result", new { task_id = doneId });
            Assert.Equal("completed", check.StructuredContent().GetProperty("status").GetString());
            var cancel = await host.CallToolAsync("claude_code_cancel", new { task_id = runningId });
            Assert.Equal("cancelled", cancel.StructuredContent().GetProperty("status").GetString());
            var list = await host.CallToolAsync("claude_code_list_tasks", new { });
            Assert.False(list.IsError(), list.Text());
        }
        finally
        {
            bind.Writable();
        }
        var again = await host.CallToolAsync("claude_code_execute", new { prompt = "after", working_dir = sandbox.WorkDir });
        Assert.False(again.IsError(), again.Text());
        host.AssertOnlyJsonRpc();
    }

    [SkippableFact]
    public async Task Host_started_on_a_read_only_state_folder_exits_with_a_clear_message_and_nothing_on_stdout()
    {
        await using var sandbox = new Sandbox();
        using var bind = BoundStateFolder(sandbox);
        bind.ReadOnly();
        var psi = StdioHost.StartInfo(sandbox, "--state-dir", bind.Path);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It may have exited already.
        }
        await process.WaitForExitAsync().WaitAsync(Hang);

        Assert.Equal(1, process.ExitCode);
        Assert.Empty(await stdout);
        Assert.Contains(bind.Path, await stderr);
        Assert.DoesNotContain("Unhandled", await stderr);
        bind.Writable();
    }

    /// <summary>A 64 KiB tmpfs on the sandbox's "tiny" folder; skips the test when this machine refuses to mount.</summary>
    private static Mount TinyDisk(Sandbox sandbox)
    {
        var disk = Mount.TryTmpfs(sandbox.File("tiny"), "64k", out var why);
        Skip.If(disk is null, why);
        return disk!;
    }

    /// <summary>
    /// The sandbox's "real-state" folder bind-mounted (writable) on its "state-ro" folder; skips the test when this
    /// machine refuses to mount.
    /// </summary>
    private static Mount BoundStateFolder(Sandbox sandbox)
    {
        var source = sandbox.File("real-state");
        Directory.CreateDirectory(source);
        var bind = Mount.TryBind(source, sandbox.File("state-ro"), out var why);
        Skip.If(bind is null, why);
        return bind!;
    }

    internal static async Task<ClaudeTaskRecord> RunAsync(ClaudeTaskManager manager, ClaudeTaskSpec spec)
    {
        var started = manager.Start(spec);
        return (await manager.WaitAsync([started.Id]).WaitAsync(Hang))[0];
    }

    /// <summary>Fills the file system until it refuses another byte; returns the file to delete for room again.</summary>
    internal static string Fill(string folder)
    {
        var path = Path.Combine(folder, "filler");
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        var block = new byte[1024];
        try
        {
            while (true) stream.Write(block);
        }
        catch (IOException)
        {
        }
        try
        {
            while (true) stream.Write(block.AsSpan(0, 1));
        }
        catch (IOException)
        {
        }
        return path;
    }
}
