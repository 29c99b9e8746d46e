namespace ClaudeCodeMcp.Engine.Store;

/// <summary>Where task state lives when nobody says otherwise.</summary>
public static class StateDirectory
{
    public const string Variable = "CLAUDE_CODE_MCP_STATE_DIR";
    private const string Folder = "claude-code-mcp";

    /// <summary>
    /// <c>$CLAUDE_CODE_MCP_STATE_DIR</c>, else the OS's per-user state folder + <c>claude-code-mcp</c>:
    /// <c>$XDG_STATE_HOME</c> or <c>~/.local/state</c> on Linux, <c>~/Library/Application Support</c> on macOS,
    /// <c>%LOCALAPPDATA%</c> on Windows.
    /// </summary>
    public static string Default(IReadOnlyDictionary<string, string> environment)
    {
        if (environment.TryGetValue(Variable, out var explicitDir) && !string.IsNullOrWhiteSpace(explicitDir))
            return Path.GetFullPath(explicitDir);
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), Folder);
        var home = environment.TryGetValue("HOME", out var h) && h.Length > 0
            ? h
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsMacOS()) return Path.Combine(home, "Library", "Application Support", Folder);
        if (environment.TryGetValue("XDG_STATE_HOME", out var xdg) && Path.IsPathRooted(xdg))
            return Path.Combine(xdg, Folder);
        return Path.Combine(home, ".local", "state", Folder);
    }
}
