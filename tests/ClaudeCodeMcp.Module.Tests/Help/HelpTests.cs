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
