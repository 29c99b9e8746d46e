using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Store;

namespace ClaudeCodeMcp.Mcp;

/// <summary>The engine's hints in the words of <c>claude-code-mcp</c>'s command line, for errors at its start.</summary>
public sealed class ServerFlagHints : ClaudeHintWords
{
    public static ServerFlagHints Words { get; } = new();

    public override string Sentence(ClaudeHint hint) => hint switch
    {
        ClaudeHint.ChooseStateDirectory => $"Or choose another with --state-dir or ${StateDirectory.Variable}.",
        ClaudeHint.ChooseClaudePath =>
            $"Say where it is with --claude-path or ${ClaudeExecutableLocator.PathVariable}, or put 'claude' on PATH.",
        _ => ToolHints.Words.Sentence(hint),
    };
}
