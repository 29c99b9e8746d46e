using System.Text;
using ClaudeCodeMcp.Engine.Streaming;

namespace ClaudeCodeMcp.Engine.Transcript;

/// <summary>
/// One event as text a person or a model can read: assistant text whole, tool calls with their input and tool
/// results cut short (saying how much was cut), the final result. The event comes from the engine's one parser.
/// </summary>
internal static class TranscriptText
{
    private const int MaxToolInput = 300;
    private const int MaxToolResult = 500;

    /// <summary>
    /// The event's text, or null for events a reader does not need. With <paramref name="mainArgument"/> a tool call
    /// shows only the argument that says what it does (<see cref="ToolCallArgument"/>), as a person following a task
    /// reads it; without, its whole input (cut short), as a model reading the transcript may need it.
    /// </summary>
    public static string? Render(StreamEvent streamEvent, bool mainArgument = false) => streamEvent switch
    {
        InitEvent init => $"[session {init.SessionId} · model {init.Model} · {init.Cwd}]\n\n",
        AssistantEvent assistant => Blocks(assistant.Blocks, assistant: true, mainArgument),
        ToolResultEvent user => Blocks(user.Blocks, assistant: false, mainArgument),
        ResultEvent result => Result(result),
        OversizeLineEvent oversize => $"[a line of {Mebibytes(oversize.Bytes)} is not shown: a line may be at most " +
            $"{Mebibytes(Runs.ChildOutput.MaxLineBytes)}; it is whole in the task's stream.jsonl]\n\n",
        _ => null,
    };

    private static string? Blocks(IReadOnlyList<ContentBlock> blocks, bool assistant, bool mainArgument)
    {
        var text = new StringBuilder();
        foreach (var block in blocks)
        {
            switch (block)
            {
                case TextBlock t when assistant:
                    text.Append(t.Text).Append("\n\n");
                    break;
                case ToolUseBlock use:
                    var shown = (mainArgument ? ToolCallArgument.Main(use.Input) : null) ?? use.Input ?? "";
                    text.Append("→ ").Append(use.Name).Append(' ').Append(Cut(shown, MaxToolInput)).Append('\n');
                    break;
                case ToolResultBlock result:
                    text.Append("  ← result").Append(result.IsError ? " (error)" : "").Append(": ")
                        .Append(Cut(result.Text, MaxToolResult)).Append("\n\n");
                    break;
            }
        }
        return text.Length == 0 ? null : text.ToString();
    }

    private static string Result(ResultEvent result)
    {
        var body = result.Result ?? string.Join("\n", result.Errors);
        return $"[result: {(result.IsError ? "error" : "success")} ({result.Subtype})]\n{body}\n";
    }

    private static string Mebibytes(long bytes) =>
        (bytes / (1024.0 * 1024)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " MiB";

    private static string Cut(string text, int max)
    {
        text = text.ReplaceLineEndings(" ");
        if (text.Length <= max) return text;
        var kept = EventJson.Cut(text, max);
        return $"{kept}… ({text.Length - kept.Length} more characters)";
    }
}
