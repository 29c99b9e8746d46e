namespace ClaudeCodeMcp.Mcp;

/// <summary>The server's options: the same for <c>Start-ClaudeMcpServer</c> parameters and <c>claude-code-mcp</c> flags.</summary>
public sealed record ClaudeMcpServerSettings
{
    public int ThrottleLimit { get; init; } = 4;
    public string? StateDirectory { get; init; }
    public string? ClaudePath { get; init; }

    /// <summary>A <c>working_dir</c> outside these folders is refused; empty means anywhere.</summary>
    public IReadOnlyList<string> AllowedDirectories { get; init; } = [];

    /// <summary>Refuse <c>skip_permissions: true</c> and <c>permission_mode: bypassPermissions</c>.</summary>
    public bool DenySkipPermissions { get; init; }

    public string? DefaultModel { get; init; }

    /// <summary>Children alive at once across the state folder; null: <c>CLAUDE_CODE_MCP_MAX_CHILDREN</c>, else 16.</summary>
    public int? MaxChildren { get; init; }

    /// <summary>Tasks start only below this nesting depth; null: <c>CLAUDE_CODE_MCP_MAX_DEPTH</c>, else 1.</summary>
    public int? MaxDepth { get; init; }

    /// <summary>New starts are refused once the store's tasks of the last 24 hours cost this much; null: <c>CLAUDE_CODE_MCP_DAILY_BUDGET_USD</c>, else none.</summary>
    public double? DailyBudgetUsd { get; init; }

    /// <summary>Diagnostics go here (appended); without it, to stderr. Never to stdout.</summary>
    public string? LogFile { get; init; }

    /// <summary>Log more (tool names and timings; still never prompts or environment values).</summary>
    public bool Verbose { get; init; }
}
