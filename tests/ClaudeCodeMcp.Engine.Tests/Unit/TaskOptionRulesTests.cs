using ClaudeCodeMcp.Engine.Options;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

/// <summary>The one description of the task options' limits, which the engine and both doors use.</summary>
public sealed class TaskOptionRulesTests
{
    [Theory]
    [InlineData(nameof(ClaudeTaskSpec.Timeout), 0.001, true)]
    [InlineData(nameof(ClaudeTaskSpec.Timeout), 0, false)]
    [InlineData(nameof(ClaudeTaskSpec.Timeout), 2_592_000, true)]
    [InlineData(nameof(ClaudeTaskSpec.Timeout), 2_592_000.5, false)]
    [InlineData(nameof(ClaudeTaskSpec.Timeout), double.PositiveInfinity, false)]
    [InlineData(nameof(ClaudeTaskSpec.Timeout), double.NaN, false)]
    [InlineData(nameof(ClaudeTaskSpec.MaxTurns), 1, true)]
    [InlineData(nameof(ClaudeTaskSpec.MaxTurns), 0, false)]
    [InlineData(nameof(ClaudeTaskSpec.MaxTurns), int.MaxValue, true)]
    [InlineData(nameof(ClaudeTaskSpec.MaxTurns), int.MaxValue + 1.0, false)]
    [InlineData(nameof(ClaudeTaskSpec.MaxBudgetUsd), 0.01, true)]
    [InlineData(nameof(ClaudeTaskSpec.MaxBudgetUsd), 0, false)]
    [InlineData(nameof(ClaudeTaskSpec.MaxBudgetUsd), 1_000_000, true)]
    [InlineData(nameof(ClaudeTaskSpec.MaxBudgetUsd), 1_000_000.01, false)]
    public void Numbers_are_allowed_exactly_within_the_limits(string option, double value, bool allowed) =>
        Assert.Equal(allowed, TaskOptionRules.All[option].Allows(value));

    [Fact]
    public void Limits_read_as_the_end_of_a_sentence_that_says_what_to_pass()
    {
        Assert.Equal("more than 0 and at most 2592000 seconds (30 days)", TaskOptionRules.Timeout.Limits);
        Assert.Equal("at least 1 and at most 2147483647", TaskOptionRules.MaxTurns.Limits);
        Assert.Equal("more than 0 and at most 1000000 US dollars", TaskOptionRules.MaxBudgetUsd.Limits);
        Assert.Equal("one of: default, acceptEdits, plan, auto, dontAsk, bypassPermissions", TaskOptionRules.PermissionMode.Limits);
    }

    [Theory]
    [InlineData("acceptEdits", "acceptEdits")]
    [InlineData("ACCEPTEDITS", "acceptEdits")]
    [InlineData("manual", null)]
    [InlineData(" plan", null)]
    [InlineData("", null)]
    public void A_permission_mode_is_matched_without_regard_to_case_and_passed_on_in_the_CLI_spelling(string given, string? passed) =>
        Assert.Equal(passed, TaskOptionRules.PermissionMode.Choice(given));

    [Fact]
    public void Every_rule_limits_a_property_of_the_spec_and_has_a_summary()
    {
        var properties = typeof(ClaudeTaskSpec).GetProperties().Select(p => p.Name).ToHashSet();
        Assert.All(TaskOptionRules.All, rule =>
        {
            Assert.Contains(rule.Key, properties);
            Assert.False(string.IsNullOrWhiteSpace(rule.Value.Summary));
        });
    }
}
