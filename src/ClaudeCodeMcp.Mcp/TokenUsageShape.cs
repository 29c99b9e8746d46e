using ClaudeCodeMcp.Engine;

namespace ClaudeCodeMcp.Mcp;

/// <summary>The <c>usage</c> member of a status record: the tokens the run used, by kind.</summary>
internal static class TokenUsageShape
{
    public static ResultShape<ClaudeTokenUsage> Shape { get; } = new(
        ResultField.Integer<ClaudeTokenUsage>("input_tokens", u => u.InputTokens),
        ResultField.Integer<ClaudeTokenUsage>("output_tokens", u => u.OutputTokens),
        ResultField.Integer<ClaudeTokenUsage>("cache_read_input_tokens", u => u.CacheReadInputTokens),
        ResultField.Integer<ClaudeTokenUsage>("cache_creation_input_tokens", u => u.CacheCreationInputTokens));
}
