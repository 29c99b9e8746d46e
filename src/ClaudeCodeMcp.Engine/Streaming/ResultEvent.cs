using System.Text.Json;

namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>The final <c>result</c> event.</summary>
public sealed record ResultEvent : StreamEvent
{
    public string? Subtype { get; init; }

    /// <summary>True unless the line says <c>"is_error": false</c>: only that is a success.</summary>
    public bool IsError { get; init; }

    public string? Result { get; init; }
    public string? SessionId { get; init; }
    public int? NumTurns { get; init; }
    public long? DurationMs { get; init; }

    /// <summary><c>total_cost_usd</c>, or <c>cost_usd</c> (before 1.0.22).</summary>
    public double? CostUsd { get; init; }

    public int? ApiErrorStatus { get; init; }
    public string? TerminalReason { get; init; }

    /// <summary>The <c>errors</c> array: strings as they are, other values as JSON text.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    public IReadOnlyList<ClaudePermissionDenial> PermissionDenials { get; init; } = [];

    /// <summary>The <c>usage</c> object: the run's tokens; null when the line has none.</summary>
    public ClaudeTokenUsage? Usage { get; init; }

    /// <summary>
    /// The <c>structured_output</c> object, as compact JSON text: the answer fitted to <c>--json-schema</c> (the input of
    /// the CLI's StructuredOutput tool, always an object). Null when the line has none, or a value that is no object.
    /// </summary>
    public string? StructuredOutput { get; init; }

    /// <summary>A <c>result</c> line.</summary>
    internal static ResultEvent Read(ReadOnlySpan<byte> line)
    {
        var reader = EventJson.Open(line);
        var isError = true;
        double? totalCost = null, legacyCost = null;
        var result = new ResultEvent();
        while (EventJson.NextMember(ref reader))
        {
            if (reader.ValueTextEquals("subtype"u8)) result = result with { Subtype = EventJson.String(ref reader) };
            else if (reader.ValueTextEquals("is_error"u8))
            {
                reader.Read();
                isError = reader.TokenType != JsonTokenType.False;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("result"u8)) result = result with { Result = EventJson.String(ref reader) };
            else if (reader.ValueTextEquals("session_id"u8)) result = result with { SessionId = EventJson.String(ref reader) };
            else if (reader.ValueTextEquals("num_turns"u8)) result = result with { NumTurns = EventJson.Int32(ref reader) };
            else if (reader.ValueTextEquals("duration_ms"u8)) result = result with { DurationMs = EventJson.Int64(ref reader) };
            else if (reader.ValueTextEquals("total_cost_usd"u8)) totalCost = EventJson.Double(ref reader);
            else if (reader.ValueTextEquals("cost_usd"u8)) legacyCost = EventJson.Double(ref reader);
            else if (reader.ValueTextEquals("api_error_status"u8)) result = result with { ApiErrorStatus = EventJson.Int32(ref reader) };
            else if (reader.ValueTextEquals("terminal_reason"u8)) result = result with { TerminalReason = EventJson.String(ref reader) };
            else if (reader.ValueTextEquals("errors"u8)) result = result with { Errors = ReadErrors(ref reader, line) };
            else if (reader.ValueTextEquals("permission_denials"u8)) result = result with { PermissionDenials = ReadDenials(ref reader, line) };
            else if (reader.ValueTextEquals("usage"u8)) result = result with { Usage = ReadUsage(ref reader) };
            else if (reader.ValueTextEquals("structured_output"u8)) result = result with { StructuredOutput = ReadStructured(ref reader, line) };
            else EventJson.SkipValue(ref reader);
        }
        EventJson.End(ref reader);
        return result with { IsError = isError, CostUsd = totalCost ?? legacyCost };
    }

    private static string? ReadStructured(ref Utf8JsonReader reader, ReadOnlySpan<byte> line)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        using var document = JsonDocument.Parse(EventJson.Raw(ref reader, line));
        return Options.JsonText.Compact(document.RootElement);
    }

    private static ClaudeTokenUsage? ReadUsage(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        var usage = new ClaudeTokenUsage();
        while (EventJson.NextMember(ref reader))
        {
            if (reader.ValueTextEquals("input_tokens"u8)) usage = usage with { InputTokens = EventJson.Int64(ref reader) ?? 0 };
            else if (reader.ValueTextEquals("output_tokens"u8)) usage = usage with { OutputTokens = EventJson.Int64(ref reader) ?? 0 };
            else if (reader.ValueTextEquals("cache_read_input_tokens"u8)) usage = usage with { CacheReadInputTokens = EventJson.Int64(ref reader) ?? 0 };
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8)) usage = usage with { CacheCreationInputTokens = EventJson.Int64(ref reader) ?? 0 };
            else EventJson.SkipValue(ref reader);
        }
        return usage;
    }

    private static IReadOnlyList<string> ReadErrors(ref Utf8JsonReader reader, ReadOnlySpan<byte> line)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return [];
        }
        var errors = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            errors.Add(reader.TokenType == JsonTokenType.String ? EventJson.Decode(ref reader) : EventJson.Raw(ref reader, line));
        return errors;
    }

    private static IReadOnlyList<ClaudePermissionDenial> ReadDenials(ref Utf8JsonReader reader, ReadOnlySpan<byte> line)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return [];
        }
        var denials = new List<ClaudePermissionDenial>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            string? toolName = null, toolUseId = null, toolInput = null;
            while (EventJson.NextMember(ref reader))
            {
                if (reader.ValueTextEquals("tool_name"u8)) toolName = EventJson.String(ref reader);
                else if (reader.ValueTextEquals("tool_use_id"u8)) toolUseId = EventJson.String(ref reader);
                else if (reader.ValueTextEquals("tool_input"u8))
                {
                    reader.Read();
                    toolInput = EventJson.Raw(ref reader, line);
                }
                else EventJson.SkipValue(ref reader);
            }
            denials.Add(new ClaudePermissionDenial(toolName ?? "unknown", toolUseId, toolInput));
        }
        return denials;
    }
}
