using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>
/// Parses one stream-json line. Tolerant by design: unknown types and fields, any key order, wrong
/// member types and non-JSON lines never throw; they give <see cref="UnknownEvent"/> or null members.
/// </summary>
public static partial class StreamEventParser
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 256 };

    /// <summary>Invalid UTF-8 (a tool's binary output cut mid-character) becomes U+FFFD instead of failing the line.</summary>
    internal static ReadOnlyMemory<byte> WithValidUtf8(ReadOnlyMemory<byte> line) =>
        System.Text.Unicode.Utf8.IsValid(line.Span) ? line : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(line.Span));

    public static StreamEvent Parse(ReadOnlyMemory<byte> line)
    {
        line = WithValidUtf8(line);
        if (FastEventReader.TryRead(line.Span, out var fast)) return fast;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, Options);
        }
        catch (JsonException)
        {
            return new UnknownEvent(null);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return new UnknownEvent(null);
            var type = String(root, "type");
            return type switch
            {
                "system" when String(root, "subtype") == "init" => new InitEvent(
                    String(root, "session_id"), String(root, "model"), String(root, "cwd"), String(root, "permissionMode")),
                "assistant" => ParseAssistant(root),
                "user" => ParseUser(root),
                "result" => ParseResult(root),
                _ => new UnknownEvent(type),
            };
        }
    }

    private static StreamEvent ParseAssistant(JsonElement root)
    {
        var texts = new List<string>();
        var tools = new List<string>();
        string? messageId = null;
        if (Member(root, "message") is { ValueKind: JsonValueKind.Object } message)
        {
            messageId = String(message, "id");
            foreach (var block in Blocks(message))
            {
                switch (String(block, "type"))
                {
                    case "text" when String(block, "text") is { } text:
                        texts.Add(text);
                        break;
                    case "tool_use" when String(block, "name") is { } name:
                        tools.Add(name);
                        break;
                }
            }
        }
        var inSubagent = Member(root, "parent_tool_use_id") is { ValueKind: JsonValueKind.String };
        return new AssistantEvent(messageId, texts, tools, inSubagent);
    }

    private static StreamEvent ParseUser(JsonElement root)
    {
        int count = 0;
        var anyError = false;
        if (Member(root, "message") is { ValueKind: JsonValueKind.Object } message)
        {
            foreach (var block in Blocks(message))
            {
                if (String(block, "type") != "tool_result") continue;
                count++;
                anyError |= Member(block, "is_error") is { ValueKind: JsonValueKind.True };
            }
        }
        return new ToolResultEvent(count, anyError);
    }

    private static ResultEvent ParseResult(JsonElement root) => new()
    {
        Subtype = String(root, "subtype"),
        IsError = Member(root, "is_error") is not { ValueKind: JsonValueKind.False },
        Result = String(root, "result"),
        SessionId = String(root, "session_id"),
        NumTurns = Int(root, "num_turns"),
        DurationMs = Member(root, "duration_ms") is { ValueKind: JsonValueKind.Number } d && d.TryGetInt64(out var ms) ? ms : null,
        CostUsd = Double(root, "total_cost_usd") ?? Double(root, "cost_usd"),
        ApiErrorStatus = Int(root, "api_error_status"),
        TerminalReason = String(root, "terminal_reason"),
        Errors = Member(root, "errors") is { ValueKind: JsonValueKind.Array } errors
            ? errors.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? Text(e) : e.GetRawText()).ToList()
            : [],
        PermissionDenials = Member(root, "permission_denials") is { ValueKind: JsonValueKind.Array } denials
            ? denials.EnumerateArray().Where(d => d.ValueKind == JsonValueKind.Object).Select(d => new ClaudePermissionDenial(
                String(d, "tool_name") ?? "unknown",
                String(d, "tool_use_id"),
                Member(d, "tool_input") is { } input ? input.GetRawText() : null)).ToList()
            : [],
    };

    private static IEnumerable<JsonElement> Blocks(JsonElement message) =>
        Member(message, "content") is { ValueKind: JsonValueKind.Array } content
            ? content.EnumerateArray().Where(b => b.ValueKind == JsonValueKind.Object)
            : [];

    private static JsonElement? Member(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : null;

    private static string? String(JsonElement element, string name) =>
        Member(element, name) is { ValueKind: JsonValueKind.String } value ? Text(value) : null;

    /// <summary>
    /// A string's value. JavaScript's JSON.stringify writes a string cut mid-emoji with a lone surrogate
    /// escape (<c>\ud83d</c>), which .NET refuses to decode; such halves become U+FFFD.
    /// </summary>
    private static string Text(JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            var repaired = LoneSurrogate().Replace(value.GetRawText(), @"\ufffd");
            return JsonSerializer.Deserialize(repaired, StreamJsonText.Default.String) ?? "";
        }
    }

    [GeneratedRegex(@"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")]
    private static partial Regex LoneSurrogate();

    private static int? Int(JsonElement element, string name) =>
        Member(element, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var number) ? number : null;

    private static double? Double(JsonElement element, string name) =>
        Member(element, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetDouble(out var number) ? number : null;
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class StreamJsonText : System.Text.Json.Serialization.JsonSerializerContext;
