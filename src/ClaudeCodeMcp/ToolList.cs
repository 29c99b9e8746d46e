using System.Collections;

namespace ClaudeCodeMcp;

/// <summary>
/// Tool names as a result object holds them: an array to ConvertTo-Json, the pipeline and indexing, and comma-separated
/// text where PowerShell asks an object for its text (Export-Csv, ToString), never <c>System.String[]</c>.
/// </summary>
public sealed class ToolList(IReadOnlyList<string> tools) : IReadOnlyList<string>
{
    public int Count => tools.Count;

    public string this[int index] => tools[index];

    public IEnumerator<string> GetEnumerator() => tools.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(", ", tools);

    /// <summary>The tools a task's child was refused, each once, in the order of the refusals.</summary>
    internal static ToolList DeniedIn(Engine.ClaudeTaskRecord record) =>
        new(record.PermissionDenials.Select(d => d.ToolName).Distinct(StringComparer.Ordinal).ToArray());
}
