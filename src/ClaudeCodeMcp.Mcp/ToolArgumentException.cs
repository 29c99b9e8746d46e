namespace ClaudeCodeMcp.Mcp;

/// <summary>A tool argument that does not fit; the message names it and says why.</summary>
internal sealed class ToolArgumentException(string message) : ArgumentException(message);
