namespace ClaudeCodeMcp.Engine;

/// <summary>Whether a wait ends when any of its tasks finishes, or only when all have.</summary>
public enum ClaudeWaitMode
{
    All,
    Any,
}
