using System.Text.Json;

namespace ClaudeCodeMcp.Engine.Transcript;

/// <summary>
/// The one argument of a tool call that says what it does, for a person following a task: the file of Read, Write
/// and Edit, the command of Bash, the pattern of Glob and Grep, the address of WebFetch, the query of WebSearch, the
/// description of a subagent's task. Found by the member's name, so tools of MCP servers that name theirs alike read
/// the same; null when the input has none of them (the caller then shows the input itself).
/// </summary>
internal static class ToolCallArgument
{
    private static readonly string[] Telling = ["file_path", "notebook_path", "command", "pattern", "url", "query", "description", "prompt", "path"];

    public static string? Main(string? inputJson)
    {
        if (string.IsNullOrEmpty(inputJson)) return null;
        try
        {
            using var input = JsonDocument.Parse(inputJson);
            if (input.RootElement.ValueKind != JsonValueKind.Object) return null;
            foreach (var name in Telling)
            {
                if (input.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                    && value.GetString() is { Length: > 0 } text)
                {
                    return text;
                }
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
