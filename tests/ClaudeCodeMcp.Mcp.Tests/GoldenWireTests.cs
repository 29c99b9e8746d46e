using System.Text.Json;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;

namespace ClaudeCodeMcp.Mcp.Tests;

/// <summary>
/// What clients see, byte for byte, against files recorded in Golden/: the tool list and the structured content of
/// each result type. A deliberate change updates the file in the same commit, so the diff shows what clients now get.
/// </summary>
public sealed class GoldenWireTests
{
    /// <summary>
    /// Asserts <paramref name="actual"/> equals the recorded file; with <c>CCM_UPDATE_GOLDEN=1</c> it records it instead
    /// (in the source folder), for a deliberate change.
    /// </summary>
    private static void AssertGolden(string name, string actual, [System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        if (Environment.GetEnvironmentVariable("CCM_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(Path.GetDirectoryName(source)!, "Golden", name), actual + "\n");
            return;
        }
        Assert.Equal(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", name)).TrimEnd('\n'), actual);
    }

    [Fact]
    public async Task Tools_list_is_byte_for_byte_the_recorded_one()
    {
        await using var sandbox = new Sandbox();
        await using var host = await StdioHost.StartAsync(sandbox);

        var answer = await host.RequestAsync("tools/list");

        AssertGolden("tools-list.json", answer.GetProperty("result").GetRawText());
    }

    [Fact]
    public void Structured_content_of_every_result_type_is_byte_for_byte_the_recorded_one()
    {
        var now = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        var running = new ClaudeTaskRecord
        {
            Id = "abcd1234", Name = "naïve <name> & 'quotes'", State = ClaudeTaskState.Running, WorkingDirectory = "/srv/project/é",
            PromptPreview = "do it", RequestedModel = "sonnet", CreatedAt = now, StartedAt = now, DurationMs = 1000,
        };
        var done = running with
        {
            Id = "efgh5678", Name = null, State = ClaudeTaskState.Completed, Result = "line 1\nline \"2\" \u2014 ok", SessionId = "s-1",
            Model = "claude-sonnet-4-5", CostUsd = 0.1234567, NumTurns = 3, Usage = new ClaudeTokenUsage { InputTokens = 12, OutputTokens = 345, CacheReadInputTokens = 6789, CacheCreationInputTokens = 1011 }, DurationMs = 4567, EndedAt = now.AddSeconds(4.567),
            PermissionDenials = [new ClaudePermissionDenial("Bash", null, null)],
            StructuredOutput = """{"files":["é <b>.cs","a.cs"],"n":2}""", LastOutputAt = now.AddSeconds(4.5),
        };
        var failed = done with { Id = "ijkl9012", State = ClaudeTaskState.Failed, Result = null, Error = "It broke.", CostUsd = null, StructuredOutput = null };
        var worktree = new ClaudeTaskWorktree
        {
            Repository = "/srv/project", Path = "/state/worktrees/mnop3456/project", Branch = "claude-task/mnop3456", BaseRef = "HEAD",
            BaseCommit = "0123456789abcdef0123456789abcdef01234567", HeadCommit = "89abcdef0123456789abcdef0123456789abcdef",
            CommitsAhead = 1, ChangedFiles = ["shared.txt"], ChangedFileCount = 1,
        };
        var isolated = done with { Id = "mnop3456", PermissionDenials = [], Worktree = worktree };
        var kept = failed with
        {
            Id = "qrst7890",
            Worktree = worktree with
            {
                Path = "/state/worktrees/qrst7890/project", Branch = "claude-task/qrst7890", HeadCommit = worktree.BaseCommit, CommitsAhead = 0,
                ChangedFiles = ["shared.txt", "notes/\u00e9.txt"], ChangedFileCount = 2, UncommittedFiles = ["shared.txt", "notes/\u00e9.txt"],
                UncommittedFileCount = 2, Problem = "git status failed.",
            },
        };
        var removal = new ClaudeTaskRemoval
        {
            TaskId = "qrst7890", Worktree = kept.Worktree, WorktreeDeleted = true, BranchDeleted = true,
            DiscardedFiles = ["shared.txt", "notes/\u00e9.txt"], DiscardedFileCount = 2, Message = "Task qrst7890 was removed with its worktree.",
        };

        var actual = string.Join("\n",
            Structured(ToolResults.Status(running)),
            Structured(ToolResults.Status(done)),
            Structured(ToolResults.Status(failed)),
            Structured(ToolResults.List([running, done, failed], "3 task(s).")),
            Structured(ToolResults.List([], "No tasks match.")),
            Structured(ToolResults.Make(new StartedTask("abcd1234", "queued", "Started."), StartedTask.Shape, "text")),
            Structured(ToolResults.Make(new OutputPage("abcd1234", "running", "some <text>", 0, 11, "More."), OutputPage.Shape, "text")),
            Structured(ToolResults.Make(new OutputPage("abcd1234", "completed", "", 11, null, "End."), OutputPage.Shape, "text")),
            Structured(ToolResults.Status(isolated)),
            Structured(ToolResults.Status(kept)),
            Structured(ToolResults.List([isolated, kept], "2 task(s).")),
            Structured(ToolResults.Make(RemovedTask.From(removal), RemovedTask.Shape, "text")),
            Structured(ToolResults.Make(RemovedTask.From(new ClaudeTaskRemoval { TaskId = "abcd1234", Message = "Task abcd1234 was removed." }), RemovedTask.Shape, "text")));

        AssertGolden("structured-content.txt", actual);
    }

    private static string Structured(ModelContextProtocol.Protocol.CallToolResult result) =>
        ((JsonElement)result.StructuredContent!).GetRawText();
}
