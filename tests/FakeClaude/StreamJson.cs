using System.Diagnostics;
using System.Text.Json;

namespace FakeClaude;

/// <summary>
/// Builds the stream-json events of one run (init, assistant, user/tool_result, result) and keeps
/// the run's state: session id, message/tool counters, cost and permission denials.
/// </summary>
internal sealed class StreamJson(Stdout stdout, CliOptions options, Stopwatch clock)
{
    public const string DefaultModel = "claude-sonnet-4-5-20250929";

    private int _messageCount;
    private int _toolCount;
    private volatile (string ToolName, string ToolUseId)[] _denials = [];

    public string SessionId { get; } = options.Resume ?? Guid.NewGuid().ToString("D");
    public string Model { get; } = options.Model ?? DefaultModel;
    public double TotalCostUsd { get; set; } = 0.0123;

    /// <summary>What the result event carries as <c>structured_output</c> (<c>fake:structured</c>); absent when null.</summary>
    public JsonElement? StructuredOutput { get; set; }

    private string PermissionMode =>
        options.PermissionMode ?? (options.DangerouslySkipPermissions ? "bypassPermissions" : "default");

    public void Init() => stdout.WriteJson(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "system");
        w.WriteString("subtype", "init");
        w.WriteString("cwd", Environment.CurrentDirectory);
        w.WriteString("session_id", SessionId);
        w.WriteStartArray("tools");
        w.WriteStringValue("Bash");
        w.WriteStringValue("Read");
        w.WriteStringValue("Write");
        w.WriteEndArray();
        w.WriteStartArray("mcp_servers");
        w.WriteEndArray();
        w.WriteString("model", Model);
        w.WriteString("permissionMode", PermissionMode);
        w.WriteString("apiKeySource", "none");
        WriteUuid(w);
        w.WriteEndObject();
    });

    /// <summary>A <c>system/api_retry</c> event: the CLI will send its request again after <paramref name="delayMs"/>.</summary>
    public void ApiRetry(int status, long delayMs) => stdout.WriteJson(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "system");
        w.WriteString("subtype", "api_retry");
        w.WriteNumber("attempt", 1);
        w.WriteNumber("max_retries", 1);
        w.WriteNumber("retry_delay_ms", delayMs);
        w.WriteNumber("error_status", status);
        w.WriteString("error", status == 429 ? "rate_limit" : "server_error");
        w.WriteString("session_id", SessionId);
        WriteUuid(w);
        w.WriteEndObject();
    });

    public void AssistantText(string text) => Assistant(w => WriteTextItem(w, w => w.WriteStringValue(text)));

    /// <summary>An assistant text of <paramref name="length"/> 'x' characters, streamed in chunks.</summary>
    public void AssistantHugeText(long length) => Assistant(w => WriteTextItem(w, w =>
    {
        ReadOnlySpan<char> chunk = new string('x', 64 * 1024);
        if (length == 0) w.WriteStringValue("");
        for (long left = length; left > 0;)
        {
            int n = (int)Math.Min(left, chunk.Length);
            left -= n;
            w.WriteStringValueSegment(chunk[..n], isFinalSegment: left == 0);
            if (w.BytesPending > 1024 * 1024) w.Flush();
        }
    }));

    /// <summary>An assistant tool_use event; returns its tool_use id.</summary>
    public string ToolUse(string name, JsonElement? input)
    {
        string id = NextToolUseId();
        Assistant(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "tool_use");
            w.WriteString("id", id);
            w.WriteString("name", name);
            w.WritePropertyName("input");
            if (input is { } value) value.WriteTo(w);
            else { w.WriteStartObject(); w.WriteEndObject(); }
            w.WriteEndObject();
        });
        return id;
    }

    public void ToolResult(string toolUseId) => stdout.WriteJson(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "user");
        w.WriteStartObject("message");
        w.WriteString("role", "user");
        w.WriteStartArray("content");
        w.WriteStartObject();
        w.WriteString("type", "tool_result");
        w.WriteString("tool_use_id", toolUseId);
        w.WriteString("content", "ok");
        w.WriteBoolean("is_error", false);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteNull("parent_tool_use_id");
        w.WriteString("session_id", SessionId);
        WriteUuid(w);
        w.WriteEndObject();
    });

    public void AddDenial(string toolName) => _denials = [.. _denials, (toolName, NextToolUseId())];

    /// <summary>
    /// Writes the result event and closes stdout so it stays the last line.
    /// <paramref name="result"/> null omits the "result" member. Returns false when a result was already printed.
    /// </summary>
    public bool Result(string subtype, bool isError, string? result, string terminalReason,
        int? apiErrorStatus = null, string[]? errors = null, int timeoutMs = Timeout.Infinite) => stdout.WriteJson(w =>
    {
        long ms = clock.ElapsedMilliseconds;
        w.WriteStartObject();
        w.WriteString("type", "result");
        w.WriteString("subtype", subtype);
        w.WriteBoolean("is_error", isError);
        if (apiErrorStatus is { } status) w.WriteNumber("api_error_status", status);
        w.WriteNumber("duration_ms", ms);
        w.WriteNumber("duration_api_ms", ms);
        w.WriteNumber("num_turns", Math.Max(1, Volatile.Read(ref _messageCount)));
        if (result is not null) w.WriteString("result", result);
        w.WriteString("session_id", SessionId);
        w.WriteNumber("total_cost_usd", TotalCostUsd);
        WriteUsage(w);
        if (StructuredOutput is { } structured)
        {
            w.WritePropertyName("structured_output");
            structured.WriteTo(w);
        }
        w.WriteStartObject("modelUsage");
        w.WriteEndObject();
        w.WriteStartArray("permission_denials");
        foreach (var (toolName, toolUseId) in _denials)
        {
            w.WriteStartObject();
            w.WriteString("tool_name", toolName);
            w.WriteString("tool_use_id", toolUseId);
            w.WriteStartObject("tool_input");
            w.WriteString("file_path", "/tmp/x");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (errors is not null)
        {
            w.WriteStartArray("errors");
            foreach (string error in errors) w.WriteStringValue(error);
            w.WriteEndArray();
        }
        w.WriteString("terminal_reason", terminalReason);
        WriteUuid(w);
        w.WriteEndObject();
    }, closeAfter: true, timeoutMs);

    /// <summary>One assistant message (a new turn) whose content array items are written by <paramref name="writeContent"/>.</summary>
    private void Assistant(Action<Utf8JsonWriter> writeContent)
    {
        int turn = Interlocked.Increment(ref _messageCount);
        stdout.WriteJson(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "assistant");
            w.WriteStartObject("message");
            w.WriteString("id", $"msg_{turn}");
            w.WriteString("type", "message");
            w.WriteString("role", "assistant");
            w.WriteString("model", Model);
            w.WriteStartArray("content");
            writeContent(w);
            w.WriteEndArray();
            w.WriteNull("stop_reason");
            WriteUsage(w);
            w.WriteEndObject();
            w.WriteNull("parent_tool_use_id");
            w.WriteString("session_id", SessionId);
            WriteUuid(w);
            w.WriteEndObject();
        });
    }

    private static void WriteTextItem(Utf8JsonWriter w, Action<Utf8JsonWriter> writeText)
    {
        w.WriteStartObject();
        w.WriteString("type", "text");
        w.WritePropertyName("text");
        writeText(w);
        w.WriteEndObject();
    }

    private static void WriteUsage(Utf8JsonWriter w)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", 10);
        w.WriteNumber("output_tokens", 5);
        w.WriteNumber("cache_read_input_tokens", 3);
        w.WriteNumber("cache_creation_input_tokens", 2);
        w.WriteEndObject();
    }

    private static void WriteUuid(Utf8JsonWriter w) => w.WriteString("uuid", Guid.NewGuid().ToString("D"));

    private string NextToolUseId() => $"toolu_{Interlocked.Increment(ref _toolCount)}";
}
