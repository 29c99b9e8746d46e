using System.Diagnostics;

namespace ClaudeCodeMcp.Tests.Shared;

/// <summary>
/// A real git repository in a test's temp folder, driven with the real git under a private HOME (whose .gitconfig names
/// the test user) and no system config: what a user's repository looks like to the engine, and a way to check what a
/// task left on its branch.
/// </summary>
public sealed class TestGitRepository
{
    public const string UserName = "Test User";
    public const string UserEmail = "test.user@example.com";

    private readonly IReadOnlyDictionary<string, string> _environment;

    private TestGitRepository(string path, IReadOnlyDictionary<string, string> environment)
    {
        Path = path;
        _environment = environment;
    }

    /// <summary>The repository's top folder.</summary>
    public string Path { get; }

    /// <summary>
    /// Writes the test user into <paramref name="home"/>/.gitconfig and makes a repository at <paramref name="path"/> whose
    /// first commit holds <paramref name="files"/> (name, content); <paramref name="environment"/> is the one the engine
    /// under test is given (its HOME must be <paramref name="home"/>).
    /// </summary>
    public static TestGitRepository Create(string path, string home, IReadOnlyDictionary<string, string> environment, params (string Name, string Content)[] files)
    {
        File.WriteAllText(System.IO.Path.Combine(home, ".gitconfig"),
            $"[user]\n\tname = {UserName}\n\temail = {UserEmail}\n[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n");
        Directory.CreateDirectory(path);
        var repository = new TestGitRepository(path, environment);
        repository.Git("init", "--quiet");
        foreach (var (name, content) in files) repository.WriteFile(name, content);
        if (files.Length > 0) repository.CommitAll("first");
        return repository;
    }

    public void WriteFile(string name, string content)
    {
        var full = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    public string ReadFile(string name) => File.ReadAllText(System.IO.Path.Combine(Path, name));

    public string CommitAll(string message)
    {
        Git("add", "--all");
        Git("commit", "--quiet", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    /// <summary>A file as committed at <paramref name="revision"/> (a branch, tag or commit).</summary>
    public string Show(string revision, string file) => Git("show", $"{revision}:{file}");

    public bool HasBranch(string branch) => TryGit(out _, "rev-parse", "--verify", "--quiet", "refs/heads/" + branch);

    /// <summary>The repository's <c>git status --porcelain</c>: what the user's working tree holds uncommitted.</summary>
    public string Status() => Git("status", "--porcelain", "--untracked-files=all");

    /// <summary>Runs git in the repository; throws with git's words when it fails.</summary>
    public string Git(params string[] args) =>
        TryGit(out var output, args) ? output : throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {output}");

    /// <summary>Runs git in <paramref name="folder"/> with the repository's environment.</summary>
    public string GitIn(string folder, params string[] args) =>
        Run(folder, args, out var output) ? output : throw new InvalidOperationException($"git {string.Join(' ', args)} in {folder} failed: {output}");

    public bool TryGit(out string output, params string[] args) => Run(Path, args, out output);

    private bool Run(string folder, string[] args, out string output)
    {
        var info = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-C");
        info.ArgumentList.Add(folder);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment.Clear();
        foreach (var (name, value) in _environment) info.Environment[name] = value;
        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        info.Environment["LC_ALL"] = "C";
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        output = process.ExitCode == 0 ? stdout : stderr.Result + stdout;
        return process.ExitCode == 0;
    }
}
