namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary>
/// <c>system/api_retry</c>: the CLI got a retryable API error and will send the request again after
/// <see cref="RetryDelayMs"/> (2.1.331 waits the API's retry-after plus up to a second, else its own backoff).
/// </summary>
public sealed record ApiRetryEvent(int? Attempt, int? MaxRetries, long? RetryDelayMs, int? ErrorStatus) : StreamEvent
{
    /// <summary>A <c>system</c> line: its api_retry event, or null when it is another subtype.</summary>
    internal static ApiRetryEvent? Read(ReadOnlySpan<byte> line)
    {
        var reader = EventJson.Open(line);
        string? subtype = null;
        int? attempt = null, maxRetries = null, status = null;
        long? delay = null;
        while (EventJson.NextMember(ref reader))
        {
            if (reader.ValueTextEquals("subtype"u8)) subtype = EventJson.String(ref reader);
            else if (reader.ValueTextEquals("attempt"u8)) attempt = EventJson.Int32(ref reader);
            else if (reader.ValueTextEquals("max_retries"u8)) maxRetries = EventJson.Int32(ref reader);
            else if (reader.ValueTextEquals("retry_delay_ms"u8)) delay = EventJson.Int64(ref reader);
            else if (reader.ValueTextEquals("error_status"u8)) status = EventJson.Int32(ref reader);
            else EventJson.SkipValue(ref reader);
        }
        EventJson.End(ref reader);
        return subtype == "api_retry" ? new ApiRetryEvent(attempt, maxRetries, delay, status) : null;
    }
}
