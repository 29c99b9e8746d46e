using System.Text;
using System.Text.Json;
using ClaudeCodeMcp.Engine.Streaming;

namespace ClaudeCodeMcp.Engine.Transcript;

/// <summary>
/// Turns a raw stream-json log into text a person or a model can read: assistant text, tool calls with
/// their input, short tool results and the final result. Offsets count characters of that text, so pages
/// of a finished task are stable. The log is read line by line; only the requested page is kept.
/// </summary>
public static class TranscriptReader
{
    private const int MaxToolInput = 300;
    private const int MaxToolResult = 500;

    public static TranscriptPage ReadPage(string streamLogPath, long offset, int maxChars)
    {
        if (offset < 0) throw new ClaudeTaskException(ClaudeErrorCode.InvalidArgument, "The offset must be 0 or more.");
        if (maxChars < 1) throw new ClaudeTaskException(ClaudeErrorCode.InvalidArgument, "max_chars must be at least 1.");
        var page = new StringBuilder();
        long position = 0;
        var more = false;
        if (File.Exists(streamLogPath))
        {
            using var stream = new FileStream(streamLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var splitter = new LineSplitter(line =>
            {
                if (more) return;
                var text = Render(line);
                if (text is null) return;
                var end = position + text.Length;
                if (end > offset)
                {
                    if (page.Length >= maxChars)
                    {
                        more = true;
                        return;
                    }
                    var from = (int)Math.Max(0, offset - position);
                    var take = Math.Min(text.Length - from, maxChars - page.Length);
                    page.Append(text, from, take);
                    more = from + take < text.Length;
                }
                position = end;
            }, _ => { }, ClaudeTaskRun.MaxLineBytes);
            // Read only as far as the page needs: the rest of the log is not parsed.
            var buffer = new byte[64 * 1024];
            int read;
            while (!more && (read = stream.Read(buffer)) > 0) splitter.Feed(buffer.AsMemory(0, read));
            if (!more) splitter.Finish();
        }
        var next = more ? offset + page.Length : (long?)null;
        return new TranscriptPage(page.ToString(), offset, next);
    }

    /// <summary>One event as readable text, or null for events a reader does not need.</summary>
    internal static string? Render(ReadOnlyMemory<byte> line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(StreamEventParser.WithValidUtf8(line));
        }
        catch (JsonException)
        {
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type)) return null;
            return type.ValueKind != JsonValueKind.String ? null : type.GetString() switch
            {
                "system" => RenderInit(root),
                "assistant" => RenderBlocks(root, assistant: true),
                "user" => RenderBlocks(root, assistant: false),
                "result" => RenderResult(root),
                _ => null,
            };
        }
    }

    private static string? RenderInit(JsonElement root)
    {
        if (Str(root, "subtype") != "init") return null;
        return $"[session {Str(root, "session_id")} · model {Str(root, "model")} · {Str(root, "cwd")}]\n\n";
    }

    private static string? RenderBlocks(JsonElement root, bool assistant)
    {
        if (!root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object) return null;
        if (!message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array) return null;
        var text = new StringBuilder();
        foreach (var block in content.EnumerateArray())
        {
            if (block.ValueKind != JsonValueKind.Object) continue;
            switch (Str(block, "type"))
            {
                case "text" when assistant:
                    text.Append(Str(block, "text")).Append("\n\n");
                    break;
                case "tool_use":
                    var input = block.TryGetProperty("input", out var i) ? Cut(i.GetRawText(), MaxToolInput) : "";
                    text.Append("→ ").Append(Str(block, "name")).Append(' ').Append(input).Append('\n');
                    break;
                case "tool_result":
                    var error = block.TryGetProperty("is_error", out var e) && e.ValueKind == JsonValueKind.True ? " (error)" : "";
                    text.Append("  ← result").Append(error).Append(": ").Append(Cut(ToolResultText(block), MaxToolResult)).Append("\n\n");
                    break;
            }
        }
        return text.Length == 0 ? null : text.ToString();
    }

    private static string RenderResult(JsonElement root)
    {
        var isError = !(root.TryGetProperty("is_error", out var e) && e.ValueKind == JsonValueKind.False);
        var body = Str(root, "result") ?? (root.TryGetProperty("errors", out var errors) ? errors.GetRawText() : "");
        return $"[result: {(isError ? "error" : "success")} ({Str(root, "subtype")})]\n{body}\n";
    }

    private static string ToolResultText(JsonElement block)
    {
        if (!block.TryGetProperty("content", out var content)) return "";
        if (content.ValueKind == JsonValueKind.String) return StringOf(content);
        if (content.ValueKind != JsonValueKind.Array) return content.GetRawText();
        return string.Join("\n", content.EnumerateArray()
            .Where(b => b.ValueKind == JsonValueKind.Object && Str(b, "type") == "text")
            .Select(b => Str(b, "text")));
    }

    private static string Cut(string text, int max)
    {
        text = text.ReplaceLineEndings(" ");
        return text.Length <= max ? text : text[..max] + $"… ({text.Length - max} more characters)";
    }

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? StringOf(value) : null;

    /// <summary>A JSON string's text; one with a lone surrogate escape (which has no text) as written.</summary>
    private static string StringOf(JsonElement value)
    {
        try
        {
            return value.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            return value.GetRawText();
        }
    }
}
