using System.Text.Json;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

/// <summary>
/// Worktree isolation with the real git: parallel tasks in one repository each work in a worktree of their own, on their
/// own branch, and never touch the user's working tree; what a completed task leaves is committed; removing a task never
/// loses work; a resumed session runs in its worktree again; git's locks are waited out; folders that cannot be isolated
/// are refused with a clear error.
/// </summary>
public sealed class WorktreeTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(120);

    private static (Sandbox Sandbox, TestGitRepository Repository) NewRepository()
    {
        var sandbox = new Sandbox();
        sandbox.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        var repository = TestGitRepository.Create(Path.Combine(sandbox.WorkDir, "project"), sandbox.Home, sandbox.Environment,
            ("shared.txt", "base\n"), ("app/notes.txt", "notes\n"));
        return (sandbox, repository);
    }

    private static ClaudeTaskSpec Isolated(TestGitRepository repository, string prompt, string? folder = null) => new()
    {
        Prompt = prompt,
        WorkingDirectory = folder is null ? repository.Path : Path.Combine(repository.Path, folder),
        Isolation = ClaudeIsolation.Worktree,
    };

    private static async Task<ClaudeTaskRecord> FinishedAsync(ClaudeTaskManager manager, string id) =>
        (await manager.WaitAsync([id]).WaitAsync(Hang))[0];

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    public async Task Parallel_tasks_editing_the_same_file_each_leave_their_version_on_their_own_branch(int count)
    {
        var (sandbox, repository) = NewRepository();
        await using var _ = sandbox;
        repository.WriteFile("shared.txt", "the user's own edit, not committed\n");
        var statusBefore = repository.Status();
        var manager = sandbox.Manager(sandbox.Options(throttle: count));

        var started = Enumerable.Range(1, count)
            .Select(i => manager.Start(Isolated(repository, $"fake:write shared.txt version {i}\nfake:sleep 100\nfake:result wrote {i}") with { Name = $"writer {i}" }))
            .ToList();
        var finished = await manager.WaitAsync(started.Select(s => s.Id)).WaitAsync(Hang);

        var baseCommit = repository.Git("rev-parse", "HEAD").Trim();
        for (var i = 0; i < count; i++)
        {
            var task = finished[i];
            Assert.True(task.State == ClaudeTaskState.Completed, $"task {i + 1} is {task.State}: {task.Error}");
            var worktree = Assert.IsType<ClaudeTaskWorktree>(task.Worktree);
            Assert.Equal($"claude-task/{task.Id}", worktree.Branch);
            Assert.Equal(baseCommit, worktree.BaseCommit);
            Assert.Equal(1, worktree.CommitsAhead);
            Assert.Equal(["shared.txt"], worktree.ChangedFiles);
            Assert.False(worktree.HasUncommittedChanges);
            Assert.Equal(repository.Git("rev-parse", worktree.Branch).Trim(), worktree.HeadCommit);
            Assert.Equal($"version {i + 1}\n", repository.Show(worktree.Branch, "shared.txt"));
            Assert.False(worktree.Path.StartsWith(repository.Path + "/", StringComparison.Ordinal), "the worktree is outside the user's working tree");
            // The commit is the user's, named after the task.
            var commit = repository.Git("log", "-1", "--format=%an <%ae>%n%s", worktree.Branch).Split('\n');
            Assert.Equal($"{TestGitRepository.UserName} <{TestGitRepository.UserEmail}>", commit[0]);
            Assert.Equal($"Claude task {task.Id}: writer {i + 1}", commit[1]);
        }
        Assert.Equal("the user's own edit, not committed\n", repository.ReadFile("shared.txt"));
        Assert.Equal(statusBefore, repository.Status());
        Assert.Equal(baseCommit, repository.Git("rev-parse", "HEAD").Trim());
    }

    [Fact]
    public async Task The_child_runs_in_the_worktrees_counterpart_of_its_folder_and_never_sees_the_users_uncommitted_files()
    {
        var (sandbox, repository) = NewRepository();
        await using var _ = sandbox;
        repository.WriteFile("app/draft.txt", "the user's untracked draft\n");
        var report = sandbox.File("report.json");
        var manager = sandbox.Manager();

        var task = await FinishedAsync(manager, manager.Start(Isolated(repository, $"fake:report {report}", folder: "app")).Id);

        Assert.Equal(ClaudeTaskState.Completed, task.State);
        var worktree = task.Worktree!;
        var childFolder = Path.Combine(worktree.Path, "app");
        Assert.Equal(childFolder, task.WorkingDirectory);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        Assert.Equal(childFolder, json.RootElement.GetProperty("cwd").GetString());
        Assert.True(File.Exists(Path.Combine(childFolder, "notes.txt")));
        Assert.False(File.Exists(Path.Combine(childFolder, "draft.txt")));
        Assert.Equal(0, worktree.CommitsAhead); // nothing changed, nothing committed
        Assert.Equal(repository.Path, worktree.Repository);
    }

    [Fact]
    public async Task A_failed_task_keeps_its_worktree_as_it_was_and_commits_nothing()
    {
        var (sandbox, repository) = NewRepository();
        await using var _ = sandbox;
        var manager = sandbox.Manager();

        var task = await FinishedAsync(manager, manager.Start(Isolated(repository, "fake:write shared.txt half done\nfake:error-result error_during_execution it broke")).Id);

        Assert.Equal(ClaudeTaskState.Failed, task.State);
        var worktree = task.Worktree!;
        Assert.Equal(0, worktree.CommitsAhead);
        Assert.Equal(worktree.BaseCommit, worktree.HeadCommit);
        Assert.Equal(["shared.txt"], worktree.UncommittedFiles);
        Assert.True(worktree.HasUncommittedChanges);
        Assert.Equal("half done\n", File.ReadAllText(Path.Combine(worktree.Path, "shared.txt")));
    }

    [Fact]
    public async Task A_task_asked_not_to_commit_leaves_its_work_uncommitted()
    {
        var (sandbox, repository) = NewRepository();
        await using var _ = sandbox;
        var manager = sandbox.Manager();

        var task = await FinishedAsync(manager, manager.Start(Isolated(repository, "fake:write new/file.txt fresh") with { Commit = false }).Id);

        Assert.Equal(ClaudeTaskState.Completed, task.State);
        Assert.Equal(0, task.Worktree!.CommitsAhead);
        Assert.Equal(["new/file.txt"], task.Worktree.UncommittedFiles);
        Assert.False(task.Worktree.CommitOnCompletion);
    }

    [Fact]
    public async Task Removing_refuses_to_lose_uncommitted_work_and_force_discards_it_saying_what()
    {
        var (sandbox, repository) = NewRepository();
        await using var _ = sandbox;
        var manager = sandbox.Manager();
        var task = await FinishedAsync(manager, manager.Start(Isolated(repository, "fake:write shared.txt unsaved\nfake:error-result error_during_execution stopped")).Id);
        var worktree = task.Worktree!;

        var refused = await Assert.ThrowsAsync<ClaudeTaskException>(() => manager.RemoveAsync(task.Id));

        Assert.Equal(ClaudeErrorCode.UncommittedWork, refused.Code);
        Assert.Contains("shared.txt", refused.Message);
        Assert.Contains(worktree.Path, refused.Message);
        Assert.NotNull(manager.Get(task.Id));
        Assert.Equal("unsaved\n", File.ReadAllText(Path.Combine(worktree.Path, "shared.txt")));

        var removal = await manager.RemoveAsync(task.Id, force: true);

        Assert.Null(manager.Get(task.Id));
        Assert.False(Directory.Exists(worktree.Path));
        Assert.Equal(["shared.txt"], removal.DiscardedFiles);
        Assert.Contains("uncommitted changes to 1 file (shared.txt) were discarded", removal.Message);
        Assert.True(removal.BranchDeleted);
        Assert.False(repository.HasBranch(worktree.Branch));
        Assert.DoesNotContain(repository.Git("worktree", "list", "--porcelain").Split('\n'), l => l.Contains(worktree.Path));
    }

    [Fact]
    public async Task Removing_a_completed_task_deletes_its_worktree_and_keeps_the_branch_that_holds_its_commits()
    {
        var (sandbox, repository) = NewRepository();
        await using var _ = sandbox;
        var manager = sandbox.Manager();
        var done = await FinishedAsync(manager, manager.Start(Isolated(repository, "fake:write shared.txt kept")).Id);
        var empty = await FinishedAsync(manager, manager.Start(Isolated(repository, "fake:result looked, changed nothing")).Id);

        var kept = await manager.RemoveAsync(done.Id);
        var dropped = await manager.RemoveAsync(empty.Id);

        Assert.True(kept.WorktreeDeleted);
        Assert.False(Directory.Exists(done.Worktree!.Path));
        Assert.False(kept.BranchDeleted);
        Assert.Equal("kept\n", repository.Show(done.Worktree.Branch, "shared.txt"));
        Assert.Contains($"git diff {done.Worktree.ShortBase}...{done.Worktree.Branch}", kept.Message);
        Assert.Contains("1 commit beyond the base", kept.Message);
        Assert.True(dropped.BranchDeleted);
        Assert.False(repository.HasBranch(empty.Worktree!.Branch));
        Assert.False(Directory.Exists(Path.GetDirectoryName(done.Worktree.Path)));
    }

    [Fact]
    public async Task A_task_ended_by_its_owners_shutdown_says_its_worktree_was_not_looked_at_and_removal_still_checks_it()
    {
        var (sandbox, repository) = NewRepository();
        await using var _ = sandbox;
        var owner = sandbox.Manager();
        var started = owner.Start(Isolated(repository, "fake:write shared.txt in progress\nfake:sleep 60000"));
        var written = Path.Combine(started.Worktree!.Path, "shared.txt");
        await Eventually.TrueAsync(() => File.Exists(written) && File.ReadAllText(written) == "in progress\n", "the child wrote in its worktree", Hang);

        await owner.DisposeAsync();
        var reader = sandbox.Manager();
        var task = reader.Get(started.Id)!;

        Assert.Equal(ClaudeTaskState.Cancelled, task.State);
        Assert.Equal(ClaudeTaskWorktree.NotInspected, task.Worktree!.Problem);
        var refused = await Assert.ThrowsAsync<ClaudeTaskException>(() => reader.RemoveAsync(task.Id));
        Assert.Equal(ClaudeErrorCode.UncommittedWork, refused.Code);
        Assert.True(File.Exists(written));
    }

    [Fact]
    public async Task A_resumed_session_runs_in_its_worktree_again_and_commits_on_the_same_branch()
    {
        var (sandbox, repository) = NewRepository();
        await using var _ = sandbox;
        var manager = sandbox.Manager();
        var report = sandbox.File("second.json");
        var first = await FinishedAsync(manager, manager.Start(Isolated(repository, "fake:write shared.txt first pass")).Id);

        var second = await FinishedAsync(manager, manager.Start(new ClaudeTaskSpec
        {
            Prompt = $"fake:report {report}\nfake:write shared.txt second pass",
            WorkingDirectory = repository.Path,
            ResumeSessionId = first.SessionId,
        }).Id);

        Assert.Equal(ClaudeTaskState.Completed, second.State);
        Assert.Equal(first.Worktree!.Path, second.Worktree!.Path);
        Assert.Equal(first.Worktree.Branch, second.Worktree.Branch);
        Assert.Equal(2, second.Worktree.CommitsAhead);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        Assert.Equal(first.WorkingDirectory, json.RootElement.GetProperty("cwd").GetString());
        Assert.Equal("second pass\n", repository.Show(first.Worktree.Branch, "shared.txt"));

        // The worktree both tasks ran in stays while the second still names it.
        var removal = await manager.RemoveAsync(first.Id);
        Assert.False(removal.WorktreeDeleted);
        Assert.Contains(second.Id, removal.Message);
        Assert.True(Directory.Exists(first.Worktree.Path));
    }

    [Fact]
    public async Task A_base_ref_starts_the_branch_there_and_an_unknown_one_is_refused()
    {
        var (sandbox, repository) = NewRepository();
        await using var _ = sandbox;
        var firstCommit = repository.Git("rev-parse", "HEAD").Trim();
        repository.Git("tag", "v1");
        repository.WriteFile("shared.txt", "later\n");
        repository.CommitAll("second");
        var report = sandbox.File("base.json");
        var manager = sandbox.Manager();

        var task = await FinishedAsync(manager, manager.Start(Isolated(repository, "fake:result read it") with { BaseRef = "v1" }).Id);

        Assert.Equal(firstCommit, task.Worktree!.BaseCommit);
        Assert.Equal("v1", task.Worktree.BaseRef);
        Assert.Equal("base\n", File.ReadAllText(Path.Combine(task.Worktree.Path, "shared.txt")));

        var refused = Assert.Throws<ClaudeTaskException>(() => manager.Start(Isolated(repository, "never runs") with { BaseRef = "no-such-branch" }));
        Assert.Equal(ClaudeErrorCode.UnknownBaseRef, refused.Code);
        Assert.Contains("'no-such-branch' names no commit", refused.Message);
        Assert.Single(manager.List());
    }

    [Fact]
    public async Task A_commit_waits_out_another_gits_index_lock_and_never_deletes_it()
    {
        var (sandbox, repository) = NewRepository();
        await using var _ = sandbox;
        var cue = sandbox.File("go");
        var manager = sandbox.Manager();
        var started = manager.Start(Isolated(repository, $"fake:wait-for {cue}\nfake:write shared.txt after the lock"));
        await Eventually.TrueAsync(() => manager.Get(started.Id)!.State == ClaudeTaskState.Running, "the task runs", Hang);
        var worktreePath = started.Worktree!.Path;
        var lockFile = repository.GitIn(worktreePath, "rev-parse", "--path-format=absolute", "--git-path", "index.lock").Trim();
        File.WriteAllText(lockFile, ""); // another git is staging in this worktree

        File.WriteAllText(cue, "");
        await Eventually.TrueAsync(() => manager.ReadEvents(started.Id).Any(e => e is Streaming.ResultEvent), "the child printed its result", Hang);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(manager.Get(started.Id)!.IsFinished, "the commit went ahead while another git held the index lock");
        Assert.True(File.Exists(lockFile), "the lock of another git was deleted");
        File.Delete(lockFile);
        var task = await FinishedAsync(manager, started.Id);

        Assert.Equal(ClaudeTaskState.Completed, task.State);
        Assert.Equal(1, task.Worktree!.CommitsAhead);
        Assert.Equal("after the lock\n", repository.Show(task.Worktree.Branch, "shared.txt"));
    }

    [Fact]
    public async Task A_folder_outside_any_repository_a_bare_repository_and_an_empty_one_are_refused()
    {
        await using var sandbox = new Sandbox();
        sandbox.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        var manager = sandbox.Manager();
        var plain = Directory.CreateDirectory(Path.Combine(sandbox.WorkDir, "plain")).FullName;
        var bare = TestGitRepository.Create(Path.Combine(sandbox.WorkDir, "empty"), sandbox.Home, sandbox.Environment);
        var bareFolder = Path.Combine(sandbox.WorkDir, "bare.git");
        bare.Git("init", "--quiet", "--bare", bareFolder);

        var outside = Assert.Throws<ClaudeTaskException>(() => manager.Start(new ClaudeTaskSpec { Prompt = "x", WorkingDirectory = plain, Isolation = ClaudeIsolation.Worktree }));
        var inBare = Assert.Throws<ClaudeTaskException>(() => manager.Start(new ClaudeTaskSpec { Prompt = "x", WorkingDirectory = bareFolder, Isolation = ClaudeIsolation.Worktree }));
        var noCommits = Assert.Throws<ClaudeTaskException>(() => manager.Start(new ClaudeTaskSpec { Prompt = "x", WorkingDirectory = bare.Path, Isolation = ClaudeIsolation.Worktree }));

        Assert.Equal(ClaudeErrorCode.NotAGitRepository, outside.Code);
        Assert.Contains("is not inside one", outside.Message);
        Assert.Equal(ClaudeErrorCode.NotAGitRepository, inBare.Code);
        Assert.Contains("bare repository", inBare.Message);
        Assert.Equal(ClaudeErrorCode.UnknownBaseRef, noCommits.Code);
        Assert.Contains("has no commits yet", noCommits.Message);
        Assert.Empty(manager.List());
    }

    [Fact]
    public async Task Worktree_options_without_worktree_isolation_are_refused()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();

        var baseRef = Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec("x") with { BaseRef = "main" }));
        var noCommit = Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec("x") with { Commit = false }));

        Assert.Contains("applies only to a task isolated in a git worktree", baseRef.Message);
        Assert.Contains("applies only to a task isolated in a git worktree", noCommit.Message);
    }
}
