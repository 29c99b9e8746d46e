using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace ClaudeCodeMcp.Mcp.Tests.Support;

public static class ToolResultExtensions
{
    public static string Text(this CallToolResult result) =>
        string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    public static JsonElement Structured(this CallToolResult result)
    {
        Assert.True(result.StructuredContent.HasValue, "the result has structured content: " + result.Text());
        return result.StructuredContent!.Value;
    }

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;
}
