namespace ClaudeCodeMcp.Mcp;

/// <summary>The JSON types a tool parameter can take.</summary>
internal enum ParameterType
{
    String,
    Boolean,
    Number,
    Integer,
    StringArray,
}

/// <summary>One parameter of a tool, as its input schema describes it.</summary>
internal sealed record ToolParameter(string Name, ParameterType Type, string Description, bool Required = false);
