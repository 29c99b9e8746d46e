using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Store;

namespace ClaudeCodeMcp;

/// <summary>The engine's hints in the module's words: its parameters and cmdlets.</summary>
internal sealed class PowerShellHints : ClaudeHintWords
{
    public static PowerShellHints Words { get; } = new();

    public override string Sentence(ClaudeHint hint) => hint switch
    {
        ClaudeHint.ChooseStateDirectory => $"Or choose another with -StateDirectory or $env:{StateDirectory.Variable}.",
        ClaudeHint.ChooseClaudePath =>
            $"Say where it is with -ClaudePath or $env:{ClaudeExecutableLocator.PathVariable}, or put 'claude' on PATH.",
        ClaudeHint.ForceRemove => "Or use -Force to stop and remove it.",
        ClaudeHint.ListTasks => "Run Get-ClaudeTask to see the tasks and their ids.",
        ClaudeHint.RaiseMaxTurns => "Raise -MaxTurns or split the task.",
        ClaudeHint.RaiseMaxBudget => "Raise -MaxBudgetUsd or split the task.",
        _ => "",
    };

    /// <summary>
    /// An engine error's message with its remedy. Refusing to lose a worktree's uncommitted work shares its hint with
    /// refusing a running task, but here -Force does not stop anything: it discards, and the sentence says so.
    /// </summary>
    public string Explain(ClaudeTaskException error) =>
        error is { Code: ClaudeErrorCode.UncommittedWork, Hint: ClaudeHint.ForceRemove }
            ? $"{error.Message.TrimEnd()} Use Remove-ClaudeTask -Force for that."
            : Describe(error);
}
