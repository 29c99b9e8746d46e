using System.Text.Json.Nodes;

namespace ClaudeCodeMcp.EndToEnd.Tests.Support;

/// <summary>What the fake Messages API answers to one request: a streamed message, an HTTP error, or nothing ever.</summary>
public sealed record ApiReply
{
    public enum ReplyKind
    {
        Message,
        HttpError,
        Stall,
    }

    public ReplyKind Kind { get; init; }

    /// <summary>The content blocks of a streamed message: <c>{type:text}</c> and <c>{type:tool_use}</c> objects.</summary>
    public IReadOnlyList<JsonObject> Blocks { get; init; } = [];

    public string StopReason { get; init; } = "end_turn";
    public int Status { get; init; } = 200;
    public string ErrorType { get; init; } = "";
    public string ErrorMessage { get; init; } = "";

    /// <summary>The <c>retry-after</c> header of an HTTP error, in seconds (a 429 says 1 unless told otherwise).</summary>
    public string? RetryAfter { get; init; }

    /// <summary>Wait this long before answering (a slow model).</summary>
    public TimeSpan Delay { get; init; }

    public static ApiReply Text(string text) => new() { Blocks = [new JsonObject { ["type"] = "text", ["text"] = text }] };

    /// <summary>A tool call; <paramref name="input"/> is serialized as the tool's input object.</summary>
    public static ApiReply ToolUse(string name, object input, string? preamble = null)
    {
        var blocks = new List<JsonObject>();
        if (preamble is not null) blocks.Add(new JsonObject { ["type"] = "text", ["text"] = preamble });
        blocks.Add(new JsonObject
        {
            ["type"] = "tool_use",
            ["id"] = "toolu_" + Guid.NewGuid().ToString("N")[..24],
            ["name"] = name,
            ["input"] = System.Text.Json.JsonSerializer.SerializeToNode(input),
        });
        return new ApiReply { Blocks = blocks, StopReason = "tool_use" };
    }

    /// <summary>
    /// A conversation that calls <paramref name="tool"/> with <paramref name="input"/> on turn 0 and answers
    /// <paramref name="text"/> on every later turn.
    /// </summary>
    public static Func<ApiRequest, ApiReply> ToolThenText(string tool, object input, string text) =>
        request => request.Turn == 0 ? ToolUse(tool, input) : Text(text);

    /// <summary>An HTTP error with the real API's JSON body: <c>{"type":"error","error":{"type":…,"message":…}}</c>.</summary>
    public static ApiReply Error(int status, string? message = null) => new()
    {
        Kind = ReplyKind.HttpError,
        Status = status,
        RetryAfter = status == 429 ? "1" : null,
        ErrorType = status switch
        {
            400 => "invalid_request_error",
            401 => "authentication_error",
            403 => "permission_error",
            404 => "not_found_error",
            413 => "request_too_large",
            429 => "rate_limit_error",
            529 => "overloaded_error",
            _ => "api_error",
        },
        ErrorMessage = message ?? status switch
        {
            401 => "invalid x-api-key",
            429 => "Number of request tokens has exceeded your per-minute rate limit",
            500 => "Internal server error",
            529 => "Overloaded",
            _ => "error",
        },
    };

    /// <summary>The CLI's answer to its --json-schema: a call of the StructuredOutput tool, whose input is the object.</summary>
    public static ApiReply StructuredOutput(object value) => ToolUse("StructuredOutput", value);

    /// <summary>Never answers: no status line, no headers, until the client goes away.</summary>
    public static ApiReply Stall() => new() { Kind = ReplyKind.Stall };

    /// <summary>Answer only once this completes (e.g. until another session reached some point).</summary>
    public Func<Task>? Gate { get; init; }

    public ApiReply After(TimeSpan delay) => this with { Delay = delay };

    public ApiReply Once(Func<Task> gate) => this with { Gate = gate };
}
