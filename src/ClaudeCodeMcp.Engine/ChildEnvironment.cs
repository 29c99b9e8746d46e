namespace ClaudeCodeMcp.Engine;

/// <summary>
/// The child's environment: the caller's, minus what belongs to a parent Claude Code session (a child must
/// never speak on its parent's channel or its IDE's, and older CLIs refuse to start under <c>CLAUDECODE</c>), plus
/// the engine's and the task's extra variables (and, from the manager, the task's depth and id: <see cref="TaskNesting"/>).
/// </summary>
public static class ChildEnvironment
{
    /// <summary>Variables a parent Claude Code session sets for its tools and MCP servers, its IDE channel's included.</summary>
    public static IReadOnlyList<string> ParentSessionVariables { get; } =
    [
        "CLAUDECODE",
        "CLAUDE_CODE_ENTRYPOINT",
        "CLAUDE_CODE_SESSION_ID",
        "CLAUDE_CODE_MESSAGING_SOCKET",
        "CLAUDE_CODE_MESSAGING_TOKEN",
        "CLAUDE_CODE_LAUNCHED_BY_SESSION_IDS",
        "CLAUDE_CODE_CHILD_NOTES_DIR",
        "CLAUDE_CODE_CHILD_SESSION",
        "CLAUDE_CODE_SESSION_ATTENDED",
        "CLAUDE_CODE_SSE_PORT",
        "ENABLE_IDE_INTEGRATION",
    ];

    public static Dictionary<string, string> Build(
        IReadOnlyDictionary<string, string> inherited,
        IReadOnlyDictionary<string, string> engineExtra,
        IReadOnlyDictionary<string, string> taskExtra)
    {
        var comparer = OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var env = new Dictionary<string, string>(inherited, comparer);
        foreach (var name in ParentSessionVariables) env.Remove(name);
        foreach (var (name, value) in engineExtra) env[name] = value;
        foreach (var (name, value) in taskExtra) env[name] = value;
        return env;
    }

    /// <summary>This process's environment as a dictionary.</summary>
    public static Dictionary<string, string> Current()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
            env[(string)entry.Key] = (string?)entry.Value ?? "";
        return env;
    }
}
