using System.Globalization;
using System.Management.Automation;
using ClaudeCodeMcp.Engine.Options;

namespace ClaudeCodeMcp.Commands;

/// <summary>
/// Validates a task parameter against the engine's rule for it (<see cref="TaskOptionRules"/>), so the cmdlets
/// accept and refuse exactly what the engine and the MCP tools do. Name the spec property it sets:
/// <c>[TaskOption(nameof(ClaudeTaskSpec.Timeout))]</c>; with choices, add <c>[ArgumentCompleter(typeof(TaskOptionCompleter))]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class TaskOptionAttribute(string specProperty) : ValidateArgumentsAttribute
{
    public TaskOptionRule Rule { get; } = TaskOptionRules.All[specProperty];

    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
        var allowed = value switch
        {
            null => true,
            string text => Rule.Choices.Count > 0 ? Rule.AllowsChoice(text) : Allows(text),
            IConvertible number when Rule.Choices.Count == 0 => Rule.Allows(number.ToDouble(CultureInfo.InvariantCulture)),
            _ => false,
        };
        if (!allowed) throw new ValidationMetadataException($"The value must be {Rule.Limits}, not {TaskOptionRule.Show(value)}.");
    }

    private bool Allows(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && Rule.Allows(number);
}
