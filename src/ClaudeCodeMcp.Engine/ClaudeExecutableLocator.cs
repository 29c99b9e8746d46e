namespace ClaudeCodeMcp.Engine;

/// <summary>
/// Finds the <c>claude</c> executable: an explicit path, else <c>CLAUDE_CODE_PATH</c>, else <c>claude</c> on
/// <c>PATH</c> (on Windows only the native <c>claude.exe</c>: npm's <c>.cmd</c> shim would run through cmd.exe).
/// </summary>
public static class ClaudeExecutableLocator
{
    public const string PathVariable = "CLAUDE_CODE_PATH";

    public static string Locate(string? explicitPath, IReadOnlyDictionary<string, string> environment)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath)) return Existing(explicitPath, "the path given");
        if (environment.TryGetValue(PathVariable, out var fromEnv) && !string.IsNullOrWhiteSpace(fromEnv))
            return Existing(fromEnv, $"${PathVariable}");
        if (environment.TryGetValue("PATH", out var path) || environment.TryGetValue("Path", out path))
        {
            var name = OperatingSystem.IsWindows() ? "claude.exe" : "claude";
            foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(dir.Trim('"'), name);
                if (IsExecutableFile(candidate)) return Path.GetFullPath(candidate);
            }
        }
        throw new ClaudeTaskException(ClaudeErrorCode.ClaudeNotFound,
            "The Claude Code CLI ('claude') was not found. Install it (npm install -g @anthropic-ai/claude-code).")
        { Hint = ClaudeHint.ChooseClaudePath };
    }

    private static string Existing(string path, string source)
    {
        var full = Path.GetFullPath(path);
        if (IsExecutableFile(full)) return full;
        if (OperatingSystem.IsWindows() && full.EndsWith(".cmd", StringComparison.OrdinalIgnoreCase))
        {
            throw new ClaudeTaskException(ClaudeErrorCode.ClaudeNotFound,
                $"'{full}' (from {source}) is npm's cmd shim, which would run through cmd.exe. Point to the native claude.exe instead.")
            { Hint = ClaudeHint.ChooseClaudePath };
        }
        throw new ClaudeTaskException(ClaudeErrorCode.ClaudeNotFound,
            $"The Claude Code CLI was not found at '{full}' (from {source}). Fix that path.")
        { Hint = ClaudeHint.ChooseClaudePath };
    }

    private static bool IsExecutableFile(string path)
    {
        if (!File.Exists(path)) return false;
        if (OperatingSystem.IsWindows()) return true;
        return (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
