using System.Management.Automation;
using ClaudeCodeMcp.Engine;

namespace ClaudeCodeMcp.Commands;

/// <summary>
/// Reads <c>-Isolation</c> as PowerShell reads an enum (None or Worktree, in any case), except that a blank value (an
/// empty cell of an Import-Csv row) means not given, like the other task options: without it an empty cell would stop
/// the whole row. A wrong name is refused with the names to use.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class IsolationNameAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is not string text) return inputData;
        if (string.IsNullOrWhiteSpace(text)) return null;
        return Enum.TryParse<ClaudeIsolation>(text.Trim(), ignoreCase: true, out var isolation) && Enum.IsDefined(isolation)
            ? isolation
            : throw new ArgumentTransformationMetadataException(
                $"'{text}' is not an isolation. Use one of: {string.Join(", ", Enum.GetNames<ClaudeIsolation>())}.");
    }
}
