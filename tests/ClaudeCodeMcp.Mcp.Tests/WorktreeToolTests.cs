using System.Text.Json;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;
using ModelContextProtocol.Protocol;

namespace ClaudeCodeMcp.Mcp.Tests;

/// <summary>
/// Worktree isolation through the tools, with the real git: each isolated task's record says which branch holds its
/// work and how to review it; what cannot be isolated is a tool error that says why; claude_code_remove never loses
/// work unless told to with force: true, and says what it kept or discarded.
/// </summary>
public sealed class WorktreeToolTests
{
    private static (Sandbox Sandbox, TestGitRepository Repository) NewRepository()
    {
        var sandbox = new Sandbox();
        sandbox.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        var repository = TestGitRepository.Create(Path.Combine(sandbox.WorkDir, "project"), sandbox.Home, sandbox.Environment, ("shared.txt", "base\n"));
        return (sandbox, repository);
    }

    private static JsonElement Worktree(CallToolResult result) => result.Structured().GetProperty("worktree");

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static async Task<string[]> TaskIdsAsync(InProcessServer server) =>
        (await server.CallAsync("claude_code_list_tasks")).Structured().GetProperty("tasks").EnumerateArray().Select(t => t.Str("task_id")).ToArray();

    [Fact]
    public async Task Two_worktree_tasks_writing_the_same_file_each_leave_their_version_on_a_branch_of_their_own()
    {
        var (sandbox, repository) = NewRepository();
        await using var _ = sandbox;
        await using var server = await InProcessServer.StartAsync(sandbox);

        var first = await server.CallAsync("claude_code_execute_async",
            new { prompt = "fake:write shared.txt version 1\nfake:sleep 300\nfake:result wrote 1", working_dir = repository.Path, isolation = "worktree" });
        var second = await server.CallAsync("claude_code_execute",
            new { prompt = "fake:write shared.txt version 2\nfake:result wrote 2", working_dir = repository.Path, isolation = "worktree" });
        var firstId = first.Structured().Str("task_id");
        var waited = await server.CallAsync("claude_code_wait", new { task_ids = new[] { firstId } });

        Assert.False(second.IsError, second.Text());
        Assert.Equal("completed", Assert.Single(waited.Structured().GetProperty("tasks").EnumerateArray()).Str("status"));
        var records = new[] { await server.CallAsync("claude_code_check_result", new { task_id = firstId }), second };
        var branches = new List<string>();
        for (var i = 0; i < records.Length; i++)
        {
            var record = records[i].Structured();
            var worktree = Worktree(records[i]);
            var branch = worktree.Str("branch");
            Assert.Equal($"claude-task/{record.Str("task_id")}", branch);
            Assert.Equal(1, worktree.GetProperty("commits_ahead").GetInt32());
            Assert.Equal(["shared.txt"], Strings(worktree.GetProperty("changed_files")));
            Assert.Equal(0, worktree.GetProperty("uncommitted_file_count").GetInt32());
            Assert.Equal(repository.Path, worktree.Str("repository"));
            Assert.Contains($"git diff {worktree.Str("base_commit")[..12]}...{branch}", record.Str("message"));
            Assert.Equal($"version {i + 1}\n", repository.Show(branch, "shared.txt"));
            branches.Add(branch);
        }
        Assert.NotEqual(branches[0], branches[1]);
        Assert.Equal("base\n", repository.ReadFile("shared.txt"));
        Assert.Contains("Worktree:", records[0].Text());
        // A record in a list says where the work is too, in brief.
        var listed = (await server.CallAsync("claude_code_list_tasks")).Structured().GetProperty("tasks").EnumerateArray().ToList();
        Assert.All(listed, t => Assert.Contains("is on branch claude-task/", t.Str("message")));
    }

    [Fact]
    public async Task A_worktree_task_asked_not_to_commit_leaves_its_work_uncommitted_and_says_where()
    {
        var (sandbox, repository) = NewRepository();
        await using var _ = sandbox;
        await using var server = await InProcessServer.StartAsync(sandbox);

        var done = await server.CallAsync("claude_code_execute",
            new { prompt = "fake:write notes/new.txt draft", working_dir = repository.Path, isolation = "worktree", commit = false });

        Assert.False(done.IsError, done.Text());
        var worktree = Worktree(done);
        Assert.Equal(0, worktree.GetProperty("commits_ahead").GetInt32());
        Assert.Equal(["notes/new.txt"], Strings(worktree.GetProperty("uncommitted_files")));
        Assert.Contains($"are uncommitted in the worktree at {worktree.Str("path")}", done.Structured().Str("message"));
    }

    [Fact]
    public async Task What_cannot_be_isolated_is_a_tool_error_that_says_why_and_starts_nothing()
    {
        var (sandbox, repository) = NewRepository();
        await using var _ = sandbox;
        var notARepository = Directory.CreateDirectory(Path.Combine(sandbox.WorkDir, "plain")).FullName;
        await using var server = await InProcessServer.StartAsync(sandbox);

        var unknownBase = await server.CallAsync("claude_code_execute_async",
            new { prompt = "never runs", working_dir = repository.Path, isolation = "worktree", base_ref = "no-such-branch" });
        var outsideGit = await server.CallAsync("claude_code_execute",
            new { prompt = "never runs", working_dir = notARepository, isolation = "worktree" });
        var baseWithoutIsolation = await server.CallAsync("claude_code_execute_async",
            new { prompt = "never runs", working_dir = repository.Path, base_ref = "HEAD" });
        var noCommitWithoutIsolation = await server.CallAsync("claude_code_execute_async",
            new { prompt = "never runs", working_dir = repository.Path, isolation = "none", commit = false });
        var unknownIsolation = await server.CallAsync("claude_code_execute_async",
            new { prompt = "never runs", working_dir = repository.Path, isolation = "sandbox" });

        Assert.True(unknownBase.IsError);
        Assert.Contains("'no-such-branch' names no commit", unknownBase.Text());
        Assert.True(outsideGit.IsError);
        Assert.Contains($"'{notARepository}' is not inside one", outsideGit.Text());
        Assert.True(baseWithoutIsolation.IsError);
        Assert.Contains("base ref ('HEAD') applies only to a task isolated in a git worktree", baseWithoutIsolation.Text());
        Assert.True(noCommitWithoutIsolation.IsError);
        Assert.Contains("applies only to a task isolated in a git worktree", noCommitWithoutIsolation.Text());
        Assert.True(unknownIsolation.IsError);
        Assert.Contains("isolation must be one of: none, worktree, not 'sandbox'", unknownIsolation.Text());
        Assert.Empty(await TaskIdsAsync(server));
        Assert.DoesNotContain("claude-task/", repository.Git("branch", "--list"));
    }

    [Fact]
    public async Task Remove_refuses_a_failed_tasks_uncommitted_work_until_forced_then_says_what_it_discarded()
    {
        var (sandbox, repository) = NewRepository();
        await using var _ = sandbox;
        await using var server = await InProcessServer.StartAsync(sandbox);
        var failed = await server.CallAsync("claude_code_execute", new
        {
            prompt = "fake:write shared.txt half done\nfake:error-result error_during_execution it broke", working_dir = repository.Path, isolation = "worktree",
        });
        var id = failed.Structured().Str("task_id");
        var path = Worktree(failed).Str("path");
        var branch = Worktree(failed).Str("branch");
        Assert.Equal("failed", failed.Structured().Str("status"));
        Assert.Equal(["shared.txt"], Strings(Worktree(failed).GetProperty("uncommitted_files")));
        Assert.Contains($"Its worktree at {path} keeps the uncommitted changes to 1 file (shared.txt) for inspection", failed.Structured().Str("message"));

        var refused = await server.CallAsync("claude_code_remove", new { task_id = id });

        Assert.True(refused.IsError);
        Assert.Contains("shared.txt", refused.Text());
        Assert.Contains("claude_code_remove again with force: true", refused.Text());
        Assert.Contains(id, await TaskIdsAsync(server));
        Assert.Equal("half done\n", File.ReadAllText(Path.Combine(path, "shared.txt")));

        var removed = await server.CallAsync("claude_code_remove", new { task_id = id, force = true });

        Assert.False(removed.IsError, removed.Text());
        var removal = removed.Structured();
        Assert.True(removal.GetProperty("removed").GetBoolean());
        Assert.True(removal.GetProperty("worktree_deleted").GetBoolean());
        Assert.Equal(["shared.txt"], Strings(removal.GetProperty("discarded_files")));
        Assert.Contains("uncommitted changes to 1 file (shared.txt) were discarded", removal.Str("message"));
        Assert.Equal(removal.Str("message"), removed.Text());
        Assert.DoesNotContain(id, await TaskIdsAsync(server));
        Assert.False(Directory.Exists(path));
        Assert.True(removal.GetProperty("branch_deleted").GetBoolean(), "a branch without commits goes with its task");
        Assert.False(repository.HasBranch(branch));
    }

    [Fact]
    public async Task Remove_of_a_completed_worktree_task_keeps_its_branch_and_says_where_the_work_is()
    {
        var (sandbox, repository) = NewRepository();
        await using var _ = sandbox;
        await using var server = await InProcessServer.StartAsync(sandbox);
        var done = await server.CallAsync("claude_code_execute",
            new { prompt = "fake:write feature.txt new work\nfake:result added it", working_dir = repository.Path, isolation = "worktree" });
        var branch = Worktree(done).Str("branch");
        var path = Worktree(done).Str("path");

        var removed = await server.CallAsync("claude_code_remove", new { task_id = done.Structured().Str("task_id") });

        Assert.False(removed.IsError, removed.Text());
        var removal = removed.Structured();
        Assert.True(removal.GetProperty("worktree_deleted").GetBoolean());
        Assert.False(removal.GetProperty("branch_deleted").GetBoolean());
        Assert.Equal(branch, removal.Str("branch"));
        Assert.Contains($"Its branch {branch} holds 1 commit beyond the base and was kept", removal.Str("message"));
        Assert.Empty(removal.GetProperty("discarded_files").EnumerateArray());
        Assert.False(Directory.Exists(path));
        Assert.Equal("new work\n", repository.Show(branch, "feature.txt"));
    }

    [Fact]
    public async Task Remove_refuses_a_running_task_until_forced_and_then_stops_it()
    {
        await using var sandbox = new Sandbox();
        await using var server = await InProcessServer.StartAsync(sandbox);
        var id = (await server.CallAsync("claude_code_execute_async", new { prompt = "fake:sleep 60000", working_dir = sandbox.WorkDir })).Structured().Str("task_id");

        var refused = await server.CallAsync("claude_code_remove", new { task_id = id });

        Assert.True(refused.IsError);
        Assert.Contains($"Task {id} is still", refused.Text());
        Assert.Contains("force: true", refused.Text());

        var removed = await server.CallAsync("claude_code_remove", new { task_id = id, force = true });

        Assert.False(removed.IsError, removed.Text());
        Assert.Equal($"Task {id} was removed.", removed.Text());
        Assert.Equal(JsonValueKind.Null, removed.Structured().GetProperty("branch").ValueKind);
        Assert.Empty(await TaskIdsAsync(server));
        Assert.Empty(ProcessAssert.RunningIn(sandbox.Root));
    }

    [Fact]
    public void A_list_names_only_the_first_files_of_each_worktree_and_keeps_the_counts_whole()
    {
        var files = Enumerable.Range(0, ClaudeTaskWorktree.MaxListedFiles).Select(i => $"src/file{i}.cs").ToList();
        var task = new ClaudeTaskRecord
        {
            Id = "abcd1234", State = ClaudeTaskState.Failed, WorkingDirectory = "/srv/w", PromptPreview = "p", CreatedAt = DateTimeOffset.UnixEpoch,
            Error = "It broke.",
            Worktree = new ClaudeTaskWorktree
            {
                Repository = "/srv/project", Path = "/srv/w", Branch = "claude-task/abcd1234", BaseRef = "HEAD", BaseCommit = "0123456789abcdef",
                ChangedFiles = files, ChangedFileCount = 250, UncommittedFiles = files, UncommittedFileCount = 250,
            },
        };

        var listed = ToolResults.List([task, task with { Id = "efgh5678" }], "2 task(s).").Structured().GetProperty("tasks")[0].GetProperty("worktree");
        var alone = ToolResults.Status(task).Structured().GetProperty("worktree");

        Assert.Equal(StatusRecord.BriefListedFiles, listed.GetProperty("changed_files").GetArrayLength());
        Assert.Equal(StatusRecord.BriefListedFiles, listed.GetProperty("uncommitted_files").GetArrayLength());
        Assert.Equal(250, listed.GetProperty("uncommitted_file_count").GetInt32());
        Assert.Equal(ClaudeTaskWorktree.MaxListedFiles, alone.GetProperty("uncommitted_files").GetArrayLength());
    }
}
