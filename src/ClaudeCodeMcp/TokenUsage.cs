namespace ClaudeCodeMcp;

/// <summary>
/// The tokens a run used, by kind, as result objects and tasks show them: an object in JSON, one line of text in CSV.
/// <c>$results.Usage.TotalTokens | Measure-Object -Sum</c> totals a batch.
/// </summary>
public sealed class TokenUsage
{
    internal TokenUsage(long input, long output, long cacheRead, long cacheCreation)
    {
        InputTokens = input;
        OutputTokens = output;
        CacheReadInputTokens = cacheRead;
        CacheCreationInputTokens = cacheCreation;
    }

    public long InputTokens { get; }
    public long OutputTokens { get; }
    public long CacheReadInputTokens { get; }
    public long CacheCreationInputTokens { get; }
    public long TotalTokens => InputTokens + OutputTokens + CacheReadInputTokens + CacheCreationInputTokens;

    /// <summary>The engine's usage of a record, or null when the run reported none.</summary>
    internal static TokenUsage? Of(Engine.ClaudeTaskRecord record) => record.Usage is { } u
        ? new TokenUsage(u.InputTokens, u.OutputTokens, u.CacheReadInputTokens, u.CacheCreationInputTokens)
        : null;

    public override string ToString() =>
        $"{TotalTokens} tokens (input {InputTokens}, output {OutputTokens}, cache read {CacheReadInputTokens}, cache write {CacheCreationInputTokens})";
}
