using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.EndToEnd.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;
using Xunit.Abstractions;

namespace ClaudeCodeMcp.EndToEnd.Tests;

/// <summary>
/// Worktree isolation with the real CLI: two tasks in one git repository each write the same file with the real Write
/// tool, in the folder the CLI says it runs in, and each version ends up committed on its own task's branch while the
/// user's working tree stays as it was.
/// </summary>
public sealed class WorktreeEndToEndTests(ITestOutputHelper output) : IClassFixture<SuiteDiagnostics>
{
    [SkippableFact]
    public async Task Two_isolated_tasks_write_the_same_file_with_the_real_Write_tool_each_on_its_own_branch_and_the_users_tree_is_untouched()
    {
        await using var rig = await EndToEndRig.StartAsync();
        // No system git config: the engine's git, the test's and the children's read only the test user's .gitconfig, which
        // TestGitRepository writes in the sandbox's HOME (the HOME the rig gives every child).
        rig.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        var repository = TestGitRepository.Create(Path.Combine(rig.WorkDir, "project"), rig.Sandbox.Home, rig.Environment, ("shared.txt", "base\n"));
        var baseCommit = repository.Git("rev-parse", "HEAD").Trim();
        var statusBefore = repository.Status();
        // Like a real model, the fake one writes where the CLI says it runs ("Primary working directory" in each request).
        foreach (var writer in new[] { 1, 2 })
        {
            rig.Api.OnConversation($"E2E-WORKTREE #{writer}", request => request.PrimaryWorkingDirectory is not { } folder
                ? ApiReply.Error(400, "fake API: no 'Primary working directory' in the request")
                : request.Turn == 0
                    ? ApiReply.ToolUse("Write", new { file_path = Path.Combine(folder, "shared.txt"), content = $"version {writer}\n" })
                    : ApiReply.Text($"writer {writer} wrote shared.txt"));
        }
        var manager = rig.Manager();

        var ids = new[] { 1, 2 }
            .Select(writer => manager.Start(rig.Spec($"E2E-WORKTREE #{writer}: put your version in shared.txt") with
            {
                WorkingDirectory = repository.Path,
                Isolation = ClaudeIsolation.Worktree,
                Name = $"writer {writer}",
            }).Id)
            .ToList();
        var done = await manager.WaitAsync(ids, timeout: EndToEndRig.Hang);
        foreach (var task in done) output.WriteLine(EngineEndToEndTests.Describe(task) + $" worktree={task.Worktree?.Path} branch={task.Worktree?.Branch} "
            + $"ahead={task.Worktree?.CommitsAhead} changed=[{string.Join(", ", task.Worktree?.ChangedFiles ?? [])}] problem={task.Worktree?.Problem}");
        foreach (var request in rig.Api.Requests) output.WriteLine($"model request: {request} (cwd {request.PrimaryWorkingDirectory})");

        Assert.Equal(2, done.Count);
        for (var i = 0; i < done.Count; i++)
        {
            var task = done[i];
            var writer = i + 1;
            Assert.True(task.State == ClaudeTaskState.Completed, $"writer {writer}: {task.State}: {task.Error}");
            Assert.Equal($"writer {writer} wrote shared.txt", task.Result);
            var worktree = Assert.IsType<ClaudeTaskWorktree>(task.Worktree);
            Assert.Null(worktree.Problem);
            Assert.Equal($"claude-task/{task.Id}", worktree.Branch);
            Assert.Equal(baseCommit, worktree.BaseCommit);
            Assert.Equal(1, worktree.CommitsAhead);
            Assert.Equal(["shared.txt"], worktree.ChangedFiles);
            Assert.Empty(worktree.UncommittedFiles);
            Assert.Equal(repository.Git("rev-parse", worktree.Branch).Trim(), worktree.HeadCommit);
            Assert.Equal($"version {writer}\n", repository.Show(worktree.Branch, "shared.txt"));
            Assert.Equal($"{TestGitRepository.UserName} <{TestGitRepository.UserEmail}>", repository.Git("log", "-1", "--format=%an <%ae>", worktree.Branch).Trim());
            Assert.Equal(worktree.Path, task.WorkingDirectory);
            Assert.False(worktree.Path.StartsWith(repository.Path + "/", StringComparison.Ordinal), $"the worktree {worktree.Path} is inside the user's tree");

            // The CLI ran in the worktree, and the real Write tool ran there: its result came back as a success naming the
            // worktree's file.
            var requests = rig.Api.RequestsOf($"E2E-WORKTREE #{writer}");
            Assert.Equal(2, requests.Count);
            Assert.All(requests, r => Assert.Equal(task.WorkingDirectory, r.PrimaryWorkingDirectory));
            Assert.All(requests, r => Assert.Equal(task.SessionId, r.SessionHeader));
            var written = Assert.Single(requests[1].LastToolResults);
            Assert.False(written.IsError, written.Text);
            Assert.Contains(Path.Combine(worktree.Path, "shared.txt"), written.Text);
            Assert.Empty(task.PermissionDenials);
        }
        Assert.NotEqual(done[0].Worktree!.Branch, done[1].Worktree!.Branch);
        Assert.NotEqual(done[0].Worktree!.Path, done[1].Worktree!.Path);

        // The user's working tree and branch are as they were.
        Assert.Equal("base\n", repository.ReadFile("shared.txt"));
        Assert.Equal(statusBefore, repository.Status());
        Assert.Equal(baseCommit, repository.Git("rev-parse", "HEAD").Trim());
        await rig.AssertNothingLeftAsync();
    }
}
