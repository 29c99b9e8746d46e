namespace ClaudeCodeMcp.Engine;

/// <summary>
/// What a user can do about an engine error or a task's end, when the remedy is a setting or a verb of a door.
/// The engine's messages say what happened in words of no door; each door names the remedy in its own
/// vocabulary (<c>-MaxTurns</c> in PowerShell, <c>max_turns</c> over MCP, <c>--state-dir</c> on a command line)
/// through its <see cref="ClaudeHintWords"/>.
/// </summary>
public enum ClaudeHint
{
    None,

    /// <summary>Choose another state folder (the state folder setting, or its environment variable).</summary>
    ChooseStateDirectory,

    /// <summary>Say where <c>claude</c> is (the path setting, <c>$CLAUDE_CODE_PATH</c>, or <c>PATH</c>).</summary>
    ChooseClaudePath,

    /// <summary>Remove a task that still runs by forcing it (stop, then remove).</summary>
    ForceRemove,

    /// <summary>List the tasks to find their ids.</summary>
    ListTasks,

    /// <summary>Raise the task's turn limit, or split the task.</summary>
    RaiseMaxTurns,

    /// <summary>Raise the task's budget, or split the task.</summary>
    RaiseMaxBudget,
}
