using System.Text.Json;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;
using ClaudeCodeMcp.Reliability.Tests.Support;
using CsCheck;
using Xunit.Abstractions;

namespace ClaudeCodeMcp.Reliability.Tests.Boundaries;

/// <summary>A working_dir that leads outside --allowed-dir, through links or <c>..</c>, is refused; one that stays inside is not.</summary>
public sealed class WorkingDirTests(ITestOutputHelper output)
{
    private static readonly string[] Segments =
        ["..", ".", "", "sub", "deeper", "in-link", "out-link", "loop", "up", "root-link", "nope", "h-sub", "back-in", "work", "home", "allowed-link"];

    [Fact]
    public async Task Generated_paths_through_links_and_dot_dot_pass_the_policy_exactly_when_they_resolve_inside_the_allowed_folder()
    {
        await using var sandbox = new Sandbox();
        // Inside the allowed folder: real folders, a link that stays in, links that lead out, a loop.
        Directory.CreateDirectory(Path.Combine(sandbox.WorkDir, "sub", "deeper"));
        Directory.CreateSymbolicLink(Path.Combine(sandbox.WorkDir, "in-link"), Path.Combine(sandbox.WorkDir, "sub"));
        Directory.CreateSymbolicLink(Path.Combine(sandbox.WorkDir, "out-link"), sandbox.Home);
        Directory.CreateSymbolicLink(Path.Combine(sandbox.WorkDir, "sub", "up"), "../..");
        Directory.CreateSymbolicLink(Path.Combine(sandbox.WorkDir, "root-link"), "/");
        File.CreateSymbolicLink(Path.Combine(sandbox.WorkDir, "loop"), Path.Combine(sandbox.WorkDir, "loop"));
        // Outside: a folder, and a link that leads back in.
        Directory.CreateDirectory(Path.Combine(sandbox.Home, "h-sub"));
        Directory.CreateSymbolicLink(Path.Combine(sandbox.Home, "back-in"), Path.Combine(sandbox.WorkDir, "sub"));
        // The allowed folder is itself given through a link.
        var allowedLink = sandbox.File("allowed-link");
        Directory.CreateSymbolicLink(allowedLink, sandbox.WorkDir);
        var realWork = Native.RealPath(sandbox.WorkDir)!;
        await using var host = await StdioHost.StartAsync(sandbox, "--allowed-dir", allowedLink);

        var starts = new[] { sandbox.WorkDir, allowedLink, sandbox.Home, sandbox.Root, "/" };
        var gen = Gen.Select(
            Gen.Int[0, starts.Length - 1],
            Gen.Int[0, Segments.Length - 1].Array[0, 6],
            Gen.Int[0, 3],
            (s, segments, tail) => starts[s] + "/" + string.Join("/", segments.Select(i => Segments[i])) + (tail == 0 ? "/" : tail == 1 ? "//" : ""));
        int inside = 0, outside = 0, missing = 0;
        await Check.SampleAsync(gen, async path =>
        {
            // A model that is no model name passes the input schema and is refused by the engine, after the folder check:
            // the message says which check refused, and no child starts.
            var probe = await host.CallToolAsync("claude_code_execute_async", new { prompt = "x", working_dir = path, model = "--evil" });
            Assert.True(probe.IsError());
            // The product reads ".." lexically (Path.GetFullPath) and then resolves links; so does this oracle. The child
            // then runs in that same folder, so the check and the run agree ("out-link/.." is the allowed folder itself).
            var real = Native.RealPath(Path.GetFullPath(path));
            var isInside = real is not null && (real == realWork || real.StartsWith(realWork + "/", StringComparison.Ordinal));
            if (real is null)
            {
                missing++;
                // A folder that does not exist never starts a child, whatever the policy said.
                var start = await host.CallToolAsync("claude_code_execute_async", new { prompt = "x", working_dir = path });
                Assert.True(start.IsError(), $"{path} does not exist yet started: {start.Text()}");
            }
            else if (isInside)
            {
                inside++;
                Assert.Contains("not a model name", probe.Text());
            }
            else
            {
                outside++;
                Assert.Contains("outside the folders this server allows", probe.Text());
            }
        }, iter: Soak.PathCases, threads: 1);

        output.WriteLine($"{Soak.PathCases} generated paths: {inside} inside, {outside} outside, {missing} missing");
        Assert.True(inside > 20 && outside > 20 && missing > 20, $"{inside} inside, {outside} outside, {missing} missing");
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(sandbox.StateDir, "tasks")));
        host.AssertOnlyJsonRpc();
    }

    [Fact]
    public async Task A_queued_task_whose_working_dir_link_is_retargeted_outside_never_runs_outside()
    {
        await using var sandbox = new Sandbox();
        var inside = Path.Combine(sandbox.WorkDir, "sub");
        Directory.CreateDirectory(inside);
        var swing = Path.Combine(sandbox.WorkDir, "swing");
        Directory.CreateSymbolicLink(swing, inside);
        var report = sandbox.File("report.json");
        await using var host = await StdioHost.StartAsync(sandbox, "--allowed-dir", sandbox.WorkDir, "--throttle-limit", "1");
        var blocker = await host.CallToolAsync("claude_code_execute_async", new { prompt = "fake:sleep 60000", working_dir = sandbox.WorkDir });
        var queued = await host.CallToolAsync("claude_code_execute_async", new { prompt = $"fake:report {report}", working_dir = swing });
        Assert.False(queued.IsError(), queued.Text());
        Assert.Equal("queued", queued.StructuredContent().GetProperty("status").GetString());

        Directory.Delete(swing);
        Directory.CreateSymbolicLink(swing, sandbox.Home); // a child of the first task could do this
        await host.CallToolAsync("claude_code_cancel", new { task_id = blocker.StructuredContent().GetProperty("task_id").GetString() });
        await host.CallToolAsync("claude_code_wait", new { task_ids = new[] { queued.StructuredContent().GetProperty("task_id").GetString() }, timeout = 30 });

        var cwd = File.Exists(report) ? JsonDocument.Parse(File.ReadAllText(report)).RootElement.GetProperty("cwd").GetString()! : "(did not run)";
        Assert.DoesNotContain(Native.RealPath(sandbox.Home)!, cwd);
    }
}
