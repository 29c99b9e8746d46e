using System.Management.Automation;
using ClaudeCodeMcp.Module.Tests.Support;

namespace ClaudeCodeMcp.Module.Tests.Help;

/// <summary>Get-Help shows a synopsis, every parameter and examples for every cmdlet, and the about topic.</summary>
public sealed class HelpTests
{
    public static TheoryData<string> Cmdlets() =>
    [
        "Start-ClaudeTask", "Get-ClaudeTask", "Wait-ClaudeTask", "Receive-ClaudeTask",
        "Stop-ClaudeTask", "Remove-ClaudeTask", "Invoke-ClaudeCode", "Start-ClaudeMcpServer",
    ];

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public async Task Get_Help_shows_synopsis_every_parameter_and_examples(string cmdlet)
    {
        await using var sandbox = new ModuleSandbox();
        var vars = new Dictionary<string, object?> { ["c"] = cmdlet };
        var help = sandbox.Run("Get-Help $c -Full", vars).Ok().Single();
        var visible = sandbox.Run("""
            $common = [System.Management.Automation.Internal.CommonParameters].GetProperties().Name + 'WhatIf', 'Confirm'
            (Get-Command $c).Parameters.Values.Where{
                $common -notcontains $_.Name -and -not $_.Attributes.Where{ $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow } }.Name
            """, vars).Ok().Select(o => o.ToString()).ToList();

        Assert.False(string.IsNullOrWhiteSpace(help.Text("Synopsis")));
        Assert.DoesNotContain(cmdlet, help.Text("Synopsis")!.Trim());
        var documented = sandbox.Run("$h.parameters.parameter | ForEach-Object { [pscustomobject]@{ Name = $_.name; Text = ($_.description | ForEach-Object Text) -join ' ' } }",
            new() { ["h"] = help }).Ok();
        foreach (var parameter in visible)
        {
            var entry = documented.SingleOrDefault(d => d.Text("Name") == parameter);
            Assert.True(entry is not null, $"{cmdlet} -{parameter} has no help");
            Assert.True(entry.Text("Text")!.Length > 20, $"{cmdlet} -{parameter} has no description");
        }
        var examples = sandbox.Run("@($h.examples.example).Count", new() { ["h"] = help }).Ok().Single();
        Assert.True((int)examples.BaseObject >= 2, $"{cmdlet} has fewer than two examples");
    }

    /// <summary>The help of every option with limits states them as the engine's rule does, so help, check and tools agree.</summary>
    [Theory]
    [InlineData("Start-ClaudeTask")]
    [InlineData("Invoke-ClaudeCode")]
    public async Task Get_Help_states_the_engines_limits_of_every_task_option(string cmdlet)
    {
        await using var sandbox = new ModuleSandbox();
        var vars = new Dictionary<string, object?> { ["c"] = cmdlet };
        var limited = sandbox.Run("""
            foreach ($p in (Get-Command $c).Parameters.Values) {
                foreach ($a in $p.Attributes) {
                    if ($a.GetType().Name -eq 'TaskOptionAttribute') { [pscustomobject]@{ Name = $p.Name; Limits = $a.Rule.Limits } }
                }
            }
            """, vars).Ok();
        var help = sandbox.Run("Get-Help $c -Full", vars).Ok().Single();
        var documented = sandbox.Run("$h.parameters.parameter | ForEach-Object { [pscustomobject]@{ Name = $_.name; Text = ($_.description | ForEach-Object Text) -join ' ' } }",
            new() { ["h"] = help }).Ok();

        Assert.Equal(["PermissionMode", "MaxTurns", "MaxBudgetUsd", "Timeout"], limited.Select(l => l.Text("Name")));
        foreach (var option in limited)
        {
            var text = documented.Single(d => d.Text("Name") == option.Text("Name")).Text("Text")!;
            Assert.True(text.Contains(option.Text("Limits")!, StringComparison.OrdinalIgnoreCase),
                $"{cmdlet} -{option.Text("Name")}: the help does not say '{option.Text("Limits")}': {text}");
        }
        // The syntax lists the modes, as "-PermissionMode {default | acceptEdits | ...}".
        var modes = sandbox.Run("""
            (Get-Help $c).syntax.syntaxItem.parameter.Where{ $_.name -eq 'PermissionMode' } | ForEach-Object { $_.parameterValueGroup.parameterValue }
            """, vars).Ok().Select(o => o.ToString()).ToList();
        Assert.Equal(limited.Single(l => l.Text("Name") == "PermissionMode").Text("Limits"), "one of: " + string.Join(", ", modes));
    }

    [Fact]
    public async Task About_topic_explains_the_module()
    {
        await using var sandbox = new ModuleSandbox();
        var text = string.Concat(sandbox.Run("Get-Help about_ClaudeCodeMcp").Ok().Select(o => o.ToString()));

        Assert.Contains("about_ClaudeCodeMcp", text);
        Assert.Contains("Start-ClaudeTask", text);
        Assert.Contains("CLAUDE_CODE_MCP_STATE_DIR", text);
        Assert.Contains("Receive-Job", text);
    }
}
