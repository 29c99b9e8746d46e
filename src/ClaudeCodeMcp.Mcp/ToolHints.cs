using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Store;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// The engine's hints in the words of an MCP client: tool names and arguments, and, for what is fixed when the
/// server starts, the options of both servers.
/// </summary>
internal sealed class ToolHints : ClaudeHintWords
{
    public static ToolHints Words { get; } = new();

    public override string Sentence(ClaudeHint hint) => hint switch
    {
        ClaudeHint.ChooseStateDirectory =>
            $"The state folder is chosen when the server starts: --state-dir (claude-code-mcp), -StateDirectory (Start-ClaudeMcpServer) or ${StateDirectory.Variable}.",
        ClaudeHint.ChooseClaudePath =>
            $"Say where it is when the server starts: --claude-path (claude-code-mcp), -ClaudePath (Start-ClaudeMcpServer) or ${ClaudeExecutableLocator.PathVariable}, or put 'claude' on the server's PATH.",
        ClaudeHint.ForceRemove =>
            "To remove it anyway, call claude_code_remove again with force: true: a running task is stopped first, and uncommitted changes in its worktree are discarded.",
        ClaudeHint.ListTasks => "Call claude_code_list_tasks to see the tasks and their ids.",
        ClaudeHint.RaiseMaxTurns => "Raise max_turns or split the task.",
        ClaudeHint.RaiseMaxBudget => "Raise max_budget_usd or split the task.",
        _ => "",
    };
}
