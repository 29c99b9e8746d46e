using System.Text.Json.Serialization;

namespace ClaudeCodeMcp.Engine;

/// <summary>
/// The tokens a run used, as the child's <c>result</c> event counts them: input, output, and the input read from and
/// written to the prompt cache.
/// </summary>
public sealed record ClaudeTokenUsage
{
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheReadInputTokens { get; init; }
    public long CacheCreationInputTokens { get; init; }

    /// <summary>Every token of the run, whichever kind.</summary>
    [JsonIgnore]
    public long TotalTokens => InputTokens + OutputTokens + CacheReadInputTokens + CacheCreationInputTokens;

    /// <summary>The sum of two runs' usage (a task run again counts both).</summary>
    public ClaudeTokenUsage Add(ClaudeTokenUsage other) => new()
    {
        InputTokens = InputTokens + other.InputTokens,
        OutputTokens = OutputTokens + other.OutputTokens,
        CacheReadInputTokens = CacheReadInputTokens + other.CacheReadInputTokens,
        CacheCreationInputTokens = CacheCreationInputTokens + other.CacheCreationInputTokens,
    };
}
