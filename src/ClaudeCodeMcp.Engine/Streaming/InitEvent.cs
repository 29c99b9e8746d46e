using System.Text.Json;

namespace ClaudeCodeMcp.Engine.Streaming;

/// <summary><c>system/init</c>: always first.</summary>
public sealed record InitEvent(string? SessionId, string? Model, string? Cwd, string? PermissionMode) : StreamEvent
{
    /// <summary>A <c>system</c> line: its init event, or null when it is another subtype.</summary>
    internal static InitEvent? Read(ReadOnlySpan<byte> line)
    {
        var reader = EventJson.Open(line);
        string? subtype = null, sessionId = null, model = null, cwd = null, permissionMode = null;
        while (EventJson.NextMember(ref reader))
        {
            if (reader.ValueTextEquals("subtype"u8)) subtype = EventJson.String(ref reader);
            else if (reader.ValueTextEquals("session_id"u8)) sessionId = EventJson.String(ref reader);
            else if (reader.ValueTextEquals("model"u8)) model = EventJson.String(ref reader);
            else if (reader.ValueTextEquals("cwd"u8)) cwd = EventJson.String(ref reader);
            else if (reader.ValueTextEquals("permissionMode"u8)) permissionMode = EventJson.String(ref reader);
            else EventJson.SkipValue(ref reader);
        }
        EventJson.End(ref reader);
        return subtype == "init" ? new InitEvent(sessionId, model, cwd, permissionMode) : null;
    }
}
