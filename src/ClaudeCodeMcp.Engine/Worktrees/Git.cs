using System.Diagnostics;

namespace ClaudeCodeMcp.Engine.Worktrees;

/// <summary>What one <c>git</c> command printed and how it ended.</summary>
internal sealed record GitOutput(int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The first line of stderr, trimmed of git's "fatal: " or "error: ", for a message.</summary>
    public string Reason
    {
        get
        {
            var line = Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? $"exit code {ExitCode}";
            foreach (var prefix in new[] { "fatal: ", "error: " })
                if (line.StartsWith(prefix, StringComparison.Ordinal)) return line[prefix.Length..];
            return line;
        }
    }
}

/// <summary>
/// Runs the real <c>git</c> (no library reimplements worktrees faithfully). Every command runs with the user's
/// environment minus the variables that would point git at another repository, in the C locale (so its messages
/// can be read), never prompting, and never taking optional locks. A command that finds one of git's own locks
/// (<c>index.lock</c>, <c>packed-refs.lock</c>, a ref's lock) held by a concurrent git waits and tries again:
/// the lock is never deleted, since only its holder knows when it is done.
/// </summary>
internal sealed class Git
{
    /// <summary>Variables that would send git to another repository or index than the folder it is run in.</summary>
    private static readonly string[] RepositoryVariables =
    [
        "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_PREFIX", "GIT_CEILING_DIRECTORIES",
    ];

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private readonly IReadOnlyDictionary<string, string> _environment;

    public Git(IReadOnlyDictionary<string, string> environment, TimeSpan? lockPatience = null)
    {
        var env = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        foreach (var name in RepositoryVariables) env.Remove(name);
        env["LC_ALL"] = "C";
        env["LANGUAGE"] = "C";
        env["GIT_TERMINAL_PROMPT"] = "0";
        env["GIT_OPTIONAL_LOCKS"] = "0";
        _environment = env;
        LockPatience = lockPatience ?? TimeSpan.FromSeconds(60);
    }

    /// <summary>How long a command waits for another git's lock before it gives up and says which lock.</summary>
    public TimeSpan LockPatience { get; }

    /// <summary>Runs <c>git -C folder args</c>, waiting out other gits' locks; never throws for git's own failure.</summary>
    public GitOutput Run(string folder, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var output = RunOnce(folder, args);
            if (output.Succeeded || !IsLockContention(output.Stderr) || clock.Elapsed >= LockPatience) return output;
            Thread.Sleep(pause);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 500));
        }
    }

    /// <summary>Runs a command that must succeed; its failure becomes a task error saying what git said.</summary>
    public string Required(string what, string folder, params string[] args)
    {
        var output = Run(folder, args);
        if (output.Succeeded) return output.Stdout;
        var reason = output.Reason;
        if (IsLockContention(output.Stderr)) reason += $" (another git held the lock for {LockPatience.TotalSeconds:0} s; it was left alone)";
        throw new ClaudeTaskException(ClaudeErrorCode.WorktreeFailed, $"{what} failed: git said \"{reason}\".");
    }

    /// <summary>Git's words when a lock file another git holds (or left behind) stops it.</summary>
    internal static bool IsLockContention(string stderr) =>
        stderr.Contains(".lock': File exists", StringComparison.Ordinal)
        || stderr.Contains("Another git process seems to be running", StringComparison.Ordinal)
        || (stderr.Contains("cannot lock ref", StringComparison.Ordinal) && stderr.Contains(".lock", StringComparison.Ordinal))
        || stderr.Contains("Unable to create", StringComparison.Ordinal) && stderr.Contains(".lock", StringComparison.Ordinal);

    private GitOutput RunOnce(string folder, string[] args)
    {
        var info = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        info.ArgumentList.Add("-C");
        info.ArgumentList.Add(folder);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment.Clear();
        foreach (var (name, value) in _environment) info.Environment[name] = value;
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new ClaudeTaskException(ClaudeErrorCode.WorktreeFailed,
                $"Worktree isolation needs git, which could not be started ({e.Message}). Install git or run the task without isolation.");
        }
        using (process)
        {
            process.StandardInput.Close();
            // Read without the thread pool: a task start or end may run git on a pool thread, and git's output must not
            // wait for another pool thread (a busy engine, tasks starting by the dozen, would starve its own reads).
            string? stderr = null;
            var stderrReader = new Thread(() => stderr = process.StandardError.ReadToEnd()) { IsBackground = true, Name = "git stderr" };
            stderrReader.Start();
            var timedOut = false;
            using var deadline = new Timer(_ =>
            {
                timedOut = true;
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            }, null, CommandTimeout, Timeout.InfiniteTimeSpan);
            var stdout = process.StandardOutput.ReadToEnd();
            stderrReader.Join();
            process.WaitForExit();
            if (Volatile.Read(ref timedOut))
                return new GitOutput(-1, "", $"git {string.Join(' ', args)} did not finish within {CommandTimeout.TotalMinutes:0} minutes and was stopped");
            return new GitOutput(process.ExitCode, stdout, stderr ?? "");
        }
    }
}
