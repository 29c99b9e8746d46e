using System.Globalization;

namespace ClaudeCodeMcp.Engine.Options;

/// <summary>
/// What one task option may be: a number in a range, or one of a few names. The engine enforces it, and each door
/// derives its own check, completion and help from it (see <see cref="TaskOptionRules"/>), so the two doors accept
/// and refuse the same values and say the same thing about them.
/// </summary>
public sealed record TaskOptionRule
{
    /// <summary>What the option does, in a sentence that names neither door's spelling of it.</summary>
    public required string Summary { get; init; }

    /// <summary>The smallest value; with <see cref="MinimumExclusive"/>, values must be more than it.</summary>
    public double? Minimum { get; init; }

    public bool MinimumExclusive { get; init; }

    /// <summary>The largest value allowed.</summary>
    public double? Maximum { get; init; }

    /// <summary>What the number counts, after the maximum in messages: "seconds", "US dollars".</summary>
    public string? Unit { get; init; }

    /// <summary>The maximum in a person's words, in brackets after it: "30 days".</summary>
    public string? MaximumInWords { get; init; }

    /// <summary>The names allowed (matched without regard to case; the spelling here is the one passed on).</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>The limits as a phrase that follows "must be": "more than 0 and at most 2592000 seconds (30 days)", "one of: a, b".</summary>
    public string Limits => Choices.Count > 0 ? "one of: " + string.Join(", ", Choices) : RangeText();

    /// <summary>Whether a number is within the limits (NaN and infinities never are).</summary>
    public bool Allows(double value) =>
        double.IsFinite(value)
        && (Minimum is not { } min || (MinimumExclusive ? value > min : value >= min))
        && (Maximum is not { } max || value <= max);

    /// <summary>
    /// Whether a text value leaves a named option unset: a blank one does, in every door (a script passing an empty
    /// variable, a client sending "" for an optional argument), so the default applies.
    /// </summary>
    public static bool NotGiven(string? text) => string.IsNullOrWhiteSpace(text);

    /// <summary>Whether a text value of an option with <see cref="Choices"/> is allowed: one of them, or blank (<see cref="NotGiven"/>).</summary>
    public bool AllowsChoice(string? text) => NotGiven(text) || Choice(text) is not null;

    /// <summary>The allowed spelling of <paramref name="value"/>, or null when it is not one of the <see cref="Choices"/>.</summary>
    public string? Choice(string? value) =>
        value is null ? null : Choices.FirstOrDefault(c => string.Equals(c, value, StringComparison.OrdinalIgnoreCase));

    /// <summary>A value as messages show it: numbers invariant, names quoted.</summary>
    public static string Show(object? value) => value switch
    {
        null => "nothing",
        string text => $"'{text}'",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private string RangeText()
    {
        var parts = new List<string>();
        if (Minimum is { } min) parts.Add((MinimumExclusive ? "more than " : "at least ") + Number(min));
        if (Maximum is { } max) parts.Add("at most " + Number(max));
        var text = string.Join(" and ", parts);
        if (Unit is not null) text += " " + Unit;
        if (MaximumInWords is not null) text += $" ({MaximumInWords})";
        return text;
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
