using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.EndToEnd.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;
using Xunit.Abstractions;

namespace ClaudeCodeMcp.EndToEnd.Tests;

/// <summary>
/// The whole loop: the real <c>claude -p</c> as the parent, our standalone host as its MCP server <c>tasks</c>, and
/// the real <c>claude</c> again as the child the host starts. One fake Messages API answers both sessions and tells
/// them apart by their first user message.
/// </summary>
public sealed partial class ParentLoopEndToEndTests(ITestOutputHelper output) : IClassFixture<SuiteDiagnostics>
{
    [SkippableFact]
    public async Task A_parent_claude_starts_a_child_through_our_host_waits_for_it_and_answers_with_the_childs_result()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var secret = "CHILD-SECRET-" + Guid.NewGuid().ToString("N")[..8];
        var parentDir = ParentDir(rig);

        rig.Api.OnConversation("E2E-CHILD", _ => ApiReply.Text($"The child's answer is {secret}."));
        rig.Api.OnConversation("E2E-PARENT", ParentModel(rig.WorkDir));

        var run = await RunParentAsync(rig, "E2E-PARENT: ask a child task for its answer and report it.", parentDir);
        output.WriteLine(run.ToString());
        foreach (var line in rig.Api.Requests) output.WriteLine("API: " + line);

        AssertTheParentAnsweredWithItsChildsResult(rig, run, secret);

        // The parent stopped its MCP server (SIGINT) at the end; the host and the child are gone.
        await rig.AssertNothingLeftAsync();
    }

    /// <summary>
    /// The same loop with the PowerShell module as the server, as a user would configure it:
    /// <c>pwsh -NoProfile -NonInteractive -Command "Import-Module ...; Start-ClaudeMcpServer ..."</c> in real pwsh, whose
    /// console host writes every stream but errors to stdout, where any stray output would break the protocol.
    /// </summary>
    [SkippableFact]
    public async Task A_parent_claude_starts_a_child_through_Start_ClaudeMcpServer_in_PowerShell_waits_for_it_and_answers_with_the_childs_result()
    {
        Pwsh.SkipUnlessBuilt();
        await using var rig = await EndToEndRig.StartAsync();
        var secret = "PS-CHILD-SECRET-" + Guid.NewGuid().ToString("N")[..8];
        var parentDir = ParentDir(rig);
        var log = Path.Combine(rig.Root, "server.log");

        rig.Api.OnConversation("E2E-CHILD", _ => ApiReply.Text($"The child's answer is {secret}."));
        rig.Api.OnConversation("E2E-PARENT", ParentModel(rig.WorkDir));
        var script = $"Import-Module {Pwsh.Quote(Pwsh.ModuleManifest)}; Start-ClaudeMcpServer -StateDirectory {Pwsh.Quote(rig.Sandbox.StateDir)} "
                     + $"-ClaudePath {Pwsh.Quote(RealClaude.Executable)} -ThrottleLimit 2 -LogFile {Pwsh.Quote(log)} -Verbose";

        var (pwsh, arguments) = RealPwsh.Command(script);
        var run = await RunParentAsync(rig, "E2E-PARENT: ask a child task for its answer and report it.", parentDir, pwsh, arguments);
        output.WriteLine(run.ToString());
        foreach (var line in rig.Api.Requests) output.WriteLine("API: " + line);
        output.WriteLine("server log:\n" + (File.Exists(log) ? File.ReadAllText(log) : "(none)"));

        AssertTheParentAnsweredWithItsChildsResult(rig, run, secret);

        // The parent stopped its MCP server (SIGINT) at the end; pwsh, the server and the child are gone.
        await rig.AssertNothingLeftAsync();
    }

    [SkippableFact]
    public async Task When_the_parent_claude_ends_while_its_child_still_runs_our_host_stops_the_child_and_its_tree()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var parentDir = ParentDir(rig);
        rig.Api.OnConversation("E2E-ORPHAN-CHILD", EngineEndToEndTests.StartBackgroundShellThenStall);
        rig.Api.OnConversation("E2E-ORPHAN-PARENT", r => r.Turn == 0
            ? ApiReply.ToolUse("mcp__tasks__claude_code_execute_async", new { prompt = "E2E-ORPHAN-CHILD: hang", working_dir = rig.WorkDir, max_turns = 4, timeout = 60 })
            // The parent answers (and so ends) only once the child runs a background shell and hangs on its model call.
            : ApiReply.Text("Started a child and left without waiting.").Once(() => rig.Api.WaitForStalledAsync(within: EndToEndRig.Hang)));

        var run = await RunParentAsync(rig, "E2E-ORPHAN-PARENT: start a child and do not wait", parentDir);
        output.WriteLine(run.ToString());

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("Started a child and left without waiting.", run.Result!.Value.GetProperty("result").GetString());
        // The parent ends its stdio servers with SIGINT; ours must take its children (and theirs) down with it.
        await rig.AssertNothingLeftAsync(within: TimeSpan.FromSeconds(15));
        Assert.Equal(2, rig.Api.RequestsOf("E2E-ORPHAN-CHILD").Count);
        // As a later session sees it (the next test checks what the host itself recorded): ended, and not completed.
        await using var later = new ClaudeTaskManager(rig.EngineOptions());
        var child = Assert.Single(later.List());
        output.WriteLine(EngineEndToEndTests.Describe(child));
        Assert.True(child.IsFinished, child.State.ToString());
        Assert.NotEqual(ClaudeTaskState.Completed, child.State);
    }

    /// <summary>
    /// Claude Code 2.1.331 SIGKILLs its stdio MCP servers about 0.5 s after the SIGINT that ends a -p run: the host must
    /// stop and record its children within that time, even one whose command ignores SIGTERM.
    /// </summary>
    [SkippableFact]
    public async Task When_the_parent_claude_ends_our_host_records_its_stopped_child_before_claude_code_kills_it()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var parentDir = ParentDir(rig);
        // A child busy in a command that ignores SIGTERM: the CLI then takes ~1.5 s to exit after its SIGTERM (it kills
        // the command's tree itself, then exits 143). Claude Code 2.1.331 ends a -p run by sending its stdio servers
        // SIGINT, SIGTERM 0.1 s later and SIGKILL about 0.5 s after the SIGINT: that is all the time our host has.
        rig.Api.OnConversation("E2E-BUSY-CHILD", ApiReply.ToolThenText(
            "Bash",
            new { command = "trap '' TERM INT; tail -f /dev/null", description = "Run until stopped", timeout = 60000 },
            "never reached"));
        rig.Api.OnConversation("E2E-BUSY-PARENT", r => r.Turn == 0
            ? ApiReply.ToolUse("mcp__tasks__claude_code_execute_async", new { prompt = "E2E-BUSY-CHILD: run", working_dir = rig.WorkDir, max_turns = 4, timeout = 60 })
            : ApiReply.Text("Left the child running.").Once(() => Eventually.TrueAsync(() => rig.ChildrenLeft().Count >= 2, "the child and its background shell")));
        var log = Path.Combine(rig.Root, "host.log");

        var run = await RunParentAsync(rig, "E2E-BUSY-PARENT: start a child and leave", parentDir, "--log-file", log, "--verbose");
        var parentEnded = DateTimeOffset.UtcNow;
        output.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 0, run.ToString());

        // Nothing is left either way: the child CLI got its SIGTERM and takes its command down itself, or the host's
        // watchdog killed the child's tree when Claude Code's SIGKILL came first.
        try
        {
            await rig.AssertNothingLeftAsync(within: TimeSpan.FromSeconds(15));
        }
        finally
        {
            output.WriteLine("host log:\n" + (File.Exists(log) ? File.ReadAllText(log) : "(none)"));
        }
        // What the host itself recorded before it exited (read raw: a manager would repair an orphaned record).
        var written = Assert.Single(new Engine.Store.TaskStore(rig.Sandbox.StateDir).List());
        output.WriteLine($"written by the host: {EngineEndToEndTests.Describe(written)}; parent ended {parentEnded:HH:mm:ss.fff}, child started {written.StartedAt:HH:mm:ss.fff}");
        await using (var later = new ClaudeTaskManager(rig.EngineOptions()))
        {
            var seen = Assert.Single(later.List());
            output.WriteLine("seen later: " + EngineEndToEndTests.Describe(seen));
            Assert.True(seen.IsFinished && seen.State != ClaudeTaskState.Completed, seen.State.ToString());
        }
        Assert.Equal(ClaudeTaskState.Cancelled, written.State);
        Assert.Contains("owned it shut down", written.Error);
    }

    /// <summary>
    /// What both full loops check: the parent ended well after three turns through our tools (execute_async, then
    /// wait) and answered with the child's <paramref name="secret"/>; the child ran as its own session, in the folder
    /// the parent asked for, and is recorded as completed.
    /// </summary>
    private void AssertTheParentAnsweredWithItsChildsResult(EndToEndRig rig, ClaudeRun run, string secret)
    {
        var result = run.Result ?? throw new Xunit.Sdk.XunitException("the parent printed no result: " + run);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.False(result.GetProperty("is_error").GetBoolean(), run.ToString());
        Assert.Contains(secret, result.GetProperty("result").GetString());
        Assert.Equal(3, result.GetProperty("num_turns").GetInt32());
        var server = Assert.Single(run.Init!.Value.GetProperty("mcp_servers").EnumerateArray());
        Assert.Equal("tasks", server.GetProperty("name").GetString());
        Assert.Equal("connected", server.GetProperty("status").GetString());

        // The parent really went through our tools, in order, and its calls succeeded.
        var parent = rig.Api.RequestsOf("E2E-PARENT");
        Assert.Equal(3, parent.Count);
        Assert.All(parent.Skip(1), r => Assert.False(Assert.Single(r.LastToolResults).IsError, r.LastUserText));
        Assert.Matches("(?s)tool_use mcp__tasks__claude_code_execute_async.*tool_use mcp__tasks__claude_code_wait", parent[2].AllAssistantText);
        Assert.Contains("\"status\":\"completed\"", parent[2].LastUserText);
        // The child ran as its own session, in the folder the parent asked for, and is recorded as completed.
        var child = Assert.Single(new Engine.Store.TaskStore(rig.Sandbox.StateDir).List());
        output.WriteLine(EngineEndToEndTests.Describe(child));
        Assert.Equal(ClaudeTaskState.Completed, child.State);
        Assert.Equal(rig.WorkDir, child.WorkingDirectory);
        Assert.Contains(secret, child.Result);
        Assert.NotEqual(result.GetProperty("session_id").GetString(), child.SessionId);
        Assert.All(rig.Api.RequestsOf("E2E-CHILD"), r => Assert.Equal(child.SessionId, r.SessionHeader));
    }

    /// <summary>The parent claude's own folder, <c>parent</c> under the rig's root (created).</summary>
    private static string ParentDir(EndToEndRig rig)
    {
        var dir = Path.Combine(rig.Root, "parent");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Runs the real claude as a parent with our standalone host as its only MCP server, <c>tasks</c>.</summary>
    private static Task<ClaudeRun> RunParentAsync(EndToEndRig rig, string prompt, string parentDir, params string[] hostFlags) =>
        RunParentAsync(rig, prompt, parentDir, RealClaude.ServerHost, rig.HostArguments(hostFlags));

    /// <summary>Runs the real claude as a parent with <paramref name="command"/> as its only MCP server, <c>tasks</c>.</summary>
    private static Task<ClaudeRun> RunParentAsync(EndToEndRig rig, string prompt, string parentDir, string command, IEnumerable<string> args)
    {
        var config = Path.Combine(rig.Root, "mcp.json");
        File.WriteAllText(config, new JsonObject
        {
            ["mcpServers"] = new JsonObject
            {
                ["tasks"] = new JsonObject
                {
                    ["type"] = "stdio",
                    ["command"] = command,
                    ["args"] = new JsonArray([.. args.Select(a => JsonValue.Create(a))]),
                },
            },
        }.ToJsonString());
        return ClaudeRun.RunAsync(rig, prompt, parentDir, EndToEndRig.Hang,
            $"--mcp-config={config}", "--strict-mcp-config", "--allowedTools=mcp__tasks__*", "--max-turns=6");
    }

    /// <summary>
    /// The parent's scripted model: start a child with claude_code_execute_async, wait for it with claude_code_wait,
    /// then answer with what the wait returned. MCP tools are deferred in 2.1.331 (not in the request's tools), but a
    /// tool_use may still name them.
    /// </summary>
    private static Func<ApiRequest, ApiReply> ParentModel(string childDir) => request =>
    {
        var last = request.LastToolResults.FirstOrDefault();
        if (request.Turn > 0 && (last is null || last.IsError))
            return ApiReply.Text("PARENT-SAW-AN-ERROR: " + (last?.Text ?? request.LastUserText));
        switch (request.Turn)
        {
            case 0:
                return ApiReply.ToolUse("mcp__tasks__claude_code_execute_async", new
                {
                    prompt = "E2E-CHILD: what is your answer?",
                    working_dir = childDir,
                    max_turns = 3,
                    timeout = 60,
                });
            case 1:
                var id = TaskIdPattern().Match(last!.Text);
                return id.Success
                    ? ApiReply.ToolUse("mcp__tasks__claude_code_wait", new { task_ids = new[] { id.Groups[1].Value }, return_when = "all", timeout = 60 })
                    : ApiReply.Text("PARENT-FOUND-NO-TASK-ID: " + last.Text);
            default:
                return ApiReply.Text("The child task finished. It said: " + ChildResult(last!.Text));
        }
    };

    /// <summary>The child's result from claude_code_wait's output (its structured content, as Claude Code passes it on).</summary>
    private static string ChildResult(string toolResult)
    {
        try
        {
            var start = toolResult.IndexOf('{');
            using var doc = JsonDocument.Parse(toolResult[start..]);
            return doc.RootElement.GetProperty("tasks")[0].GetProperty("result").GetString() ?? "(no result)";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or ArgumentOutOfRangeException or InvalidOperationException)
        {
            return "(unparsed) " + toolResult;
        }
    }

    [GeneratedRegex("""(?:"task_id"\s*:\s*"|Task ID: )([a-z0-9]+)""")]
    private static partial Regex TaskIdPattern();
}
