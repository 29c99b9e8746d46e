using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ClaudeCodeMcp.EndToEnd.Tests.Support;

/// <summary>One request the CLI sent to the fake Messages API, as received (the body is kept whole).</summary>
public sealed partial class ApiRequest
{
    public ApiRequest(string method, string pathAndQuery, string? sessionHeader, string body)
    {
        Method = method;
        PathAndQuery = pathAndQuery;
        SessionHeader = sessionHeader;
        RawBody = body;
        try
        {
            Body = body.Length > 0 ? JsonNode.Parse(body) as JsonObject : null;
        }
        catch (System.Text.Json.JsonException)
        {
            Body = null;
        }
        var messages = Body?["messages"] as JsonArray ?? [];
        Messages = messages.OfType<JsonObject>()
            .Select(m => new ApiMessage(Json.Str(m["role"]) ?? "", m["content"]))
            .ToList();
    }

    public string Method { get; }
    public string PathAndQuery { get; }

    /// <summary>The CLI's <c>X-Claude-Code-Session-Id</c> header: the session that sent the request.</summary>
    public string? SessionHeader { get; }

    public string RawBody { get; }
    public JsonObject? Body { get; }
    public DateTimeOffset ReceivedAt { get; } = DateTimeOffset.UtcNow;
    public IReadOnlyList<ApiMessage> Messages { get; }

    public bool IsMessages => Method == "POST" && PathAndQuery.StartsWith("/v1/messages", StringComparison.Ordinal);
    public bool Stream => Body?["stream"] is JsonValue v && v.TryGetValue<bool>(out var s) && s;
    public string Model => Json.Str(Body?["model"]) ?? "claude-sonnet-4-5";

    /// <summary>The effort asked of the model: 2.1.331 sends its --effort as <c>output_config.effort</c> (for models that take one).</summary>
    public string? Effort => Json.Str(Body?["output_config"]?["effort"]);

    /// <summary>The names of the tools the request offers the model.</summary>
    public IReadOnlyList<string> ToolNames => Body?["tools"] is System.Text.Json.Nodes.JsonArray tools
        ? tools.Select(t => Json.Str(t?["name"])).OfType<string>().ToList()
        : [];

    /// <summary>The system prompt's text.</summary>
    public string System => Body?["system"] switch
    {
        JsonArray blocks => string.Join("\n", blocks.Select(b => Json.Str(b?["text"]) ?? "")),
        JsonValue v => Json.Str(v) ?? "",
        _ => "",
    };

    /// <summary>How many times the model has answered in this conversation so far (assistant turns in the history).</summary>
    public int Turn => Messages.Count(m => m.Role == "assistant");

    /// <summary>All the text of the first user message (it begins with a &lt;system-reminder&gt;: match by contains).</summary>
    public string FirstUserText => Messages.FirstOrDefault(m => m.Role == "user")?.Text ?? "";

    /// <summary>All the text of the last user message: the new prompt, or the tool results of the last turn.</summary>
    public string LastUserText => Messages.LastOrDefault(m => m.Role == "user")?.Text ?? "";

    /// <summary>Every user message's text (prompts and tool results), in order.</summary>
    public string AllUserText => string.Join("\n", Messages.Where(m => m.Role == "user").Select(m => m.Text));

    /// <summary>Every assistant message's text.</summary>
    public string AllAssistantText => string.Join("\n", Messages.Where(m => m.Role == "assistant").Select(m => m.Text));

    /// <summary>The tool_result blocks of the last user message.</summary>
    public IReadOnlyList<ApiToolResult> LastToolResults =>
        Messages.LastOrDefault(m => m.Role == "user")?.ToolResults ?? [];

    /// <summary>
    /// The folder the CLI says it runs in: the <c>Primary working directory: …</c> line of its environment block, which
    /// 2.1.331 sends as a <c>role:"system"</c> message (looked for in the system prompt too); null when no such line.
    /// </summary>
    public string? PrimaryWorkingDirectory =>
        Messages.Where(m => m.Role == "system").Select(m => m.Text).Prepend(System)
            .Select(text => WorkingDirectoryLine().Match(text))
            .FirstOrDefault(match => match.Success)?.Groups[1].Value.Trim();

    /// <summary>True when some user message of the conversation contains <paramref name="text"/>.</summary>
    public bool UserSaid(string text) => Messages.Any(m => m.Role == "user" && m.Text.Contains(text, StringComparison.Ordinal));

    public override string ToString() => $"{Method} {PathAndQuery} model {Model} turn {Turn}: {Short(LastUserText)}";

    private static string Short(string text) => text.Length > 200 ? text[..200] + "…" : text;

    [GeneratedRegex(@"Primary working directory: *(\S[^\r\n]*)")]
    private static partial Regex WorkingDirectoryLine();
}

public sealed record ApiToolResult(string ToolUseId, bool IsError, string Text);

/// <summary>One message of a request's history.</summary>
public sealed class ApiMessage
{
    public ApiMessage(string role, JsonNode? content)
    {
        Role = role;
        Content = content;
        var texts = new List<string>();
        var results = new List<ApiToolResult>();
        switch (content)
        {
            case JsonValue v:
                texts.Add(Json.Str(v) ?? "");
                break;
            case JsonArray blocks:
                foreach (var block in blocks.OfType<JsonObject>())
                {
                    switch (Json.Str(block["type"]))
                    {
                        case "text":
                            texts.Add(Json.Str(block["text"]) ?? "");
                            break;
                        case "tool_use":
                            texts.Add($"[tool_use {Json.Str(block["name"])} {block["input"]?.ToJsonString()}]");
                            break;
                        case "tool_result":
                            var text = TextOf(block["content"]);
                            var isError = block["is_error"] is JsonValue e && e.TryGetValue<bool>(out var b) && b;
                            results.Add(new ApiToolResult(Json.Str(block["tool_use_id"]) ?? "", isError, text));
                            texts.Add(text);
                            break;
                    }
                }
                break;
        }
        Text = string.Join("\n", texts);
        ToolResults = results;
    }

    public string Role { get; }
    public JsonNode? Content { get; }
    public string Text { get; }
    public IReadOnlyList<ApiToolResult> ToolResults { get; }

    private static string TextOf(JsonNode? content) => content switch
    {
        JsonValue v => Json.Str(v) ?? "",
        JsonArray blocks => string.Join("\n", blocks.OfType<JsonObject>().Select(b => Json.Str(b["text"]) ?? b.ToJsonString())),
        _ => "",
    };
}

internal static class Json
{
    /// <summary>The string value of a node, or null when it is missing or not a string.</summary>
    public static string? Str(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : null;
}
