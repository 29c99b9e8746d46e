using System.Globalization;

namespace ClaudeCodeMcp.Engine;

/// <summary>
/// How deep tasks nest. Every child runs with <c>CLAUDE_CODE_MCP_DEPTH</c> (its parent's depth + 1) and
/// <c>CLAUDE_CODE_MCP_TASK_ID</c> (its own task id), so a door that runs inside a task knows it does: at or beyond
/// the maximum depth (default 1: tasks start no tasks of their own) it starts none and says why, instead of letting a
/// child that loads the same MCP server start children without end.
/// </summary>
public static class TaskNesting
{
    public const string DepthVariable = "CLAUDE_CODE_MCP_DEPTH";
    public const string TaskIdVariable = "CLAUDE_CODE_MCP_TASK_ID";
    public const string MaxDepthVariable = "CLAUDE_CODE_MCP_MAX_DEPTH";
    public const int DefaultMaxDepth = 1;

    /// <summary>The depth of a process with this environment: 0 outside any task.</summary>
    public static int DepthOf(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue(DepthVariable, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var depth)
            ? depth
            : 0;

    /// <summary>The deepest a door may start tasks from: the option, else <c>CLAUDE_CODE_MCP_MAX_DEPTH</c>, else 1.</summary>
    public static int MaxDepthOf(int? option, IReadOnlyDictionary<string, string> environment)
    {
        if (option is { } given) return given;
        return environment.TryGetValue(MaxDepthVariable, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var max)
            ? max
            : DefaultMaxDepth;
    }

    /// <summary>Refuses to start a task from <paramref name="depth"/> when that is at or beyond <paramref name="maxDepth"/>.</summary>
    public static void Check(int depth, int maxDepth)
    {
        if (depth < maxDepth) return;
        throw new ClaudeTaskException(ClaudeErrorCode.NestingLimitReached,
            $"This process runs inside a Claude task at depth {depth} ({DepthVariable}={depth}), and tasks may nest at most {maxDepth} deep, "
            + $"so it starts no tasks of its own. Do the work in this session, or allow deeper nesting with {MaxDepthVariable}={depth + 1} "
            + "(or --max-depth / -MaxDepth where the server starts).");
    }

    /// <summary>Marks a child's environment with its depth and task id; ours win over any caller's.</summary>
    public static void Mark(IDictionary<string, string> environment, int parentDepth, string taskId)
    {
        environment[DepthVariable] = (parentDepth + 1).ToString(CultureInfo.InvariantCulture);
        environment[TaskIdVariable] = taskId;
    }
}
