using System.Management.Automation;
using ClaudeCodeMcp.Module.Tests.Support;

namespace ClaudeCodeMcp.Module.Tests.Invoke;

/// <summary>Errors are ErrorRecords whose id names the cause, with a category and a message that says what to do.</summary>
public sealed class ErrorRecordTests
{
    [Fact]
    public async Task Missing_claude_is_ObjectNotFound_naming_all_three_ways_to_point_at_it()
    {
        await using var sandbox = new ModuleSandbox();
        var error = sandbox.Run("Start-ClaudeTask 'hi' -ClaudePath ./no-such-claude").Errors.Single();

        Assert.Equal("ClaudeNotFound,ClaudeCodeMcp.Commands.StartClaudeTaskCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        var shown = error.ToString(); // what PowerShell prints: the engine's message with the module's remedy
        Assert.Contains("no-such-claude", shown);
        Assert.Contains("-ClaudePath", shown);
        Assert.Contains("$env:CLAUDE_CODE_PATH", shown);
        Assert.Contains("'claude' on PATH", shown);
        Assert.DoesNotContain("--claude-path", shown);
    }

    [Fact]
    public async Task Remedies_are_worded_as_this_module_s_parameters_and_cmdlets()
    {
        await using var sandbox = new ModuleSandbox();
        var result = sandbox.Run("""
            $turns = Start-ClaudeTask 'fake:max-turns 3' | Wait-ClaudeTask
            $turns | Receive-ClaudeTask
            $long = Start-ClaudeTask 'fake:sleep 30000'
            $long | Remove-ClaudeTask -Confirm:$false
            Get-ClaudeTask -TaskId zzzzzzzz
            """);

        var shown = result.Errors.Select(e => e.ToString()).ToList();
        Assert.Equal(3, shown.Count);
        Assert.Contains("maximum number of turns", shown[0]);
        Assert.Contains("Raise -MaxTurns", shown[0]);
        Assert.Contains("-Force", shown[1]);
        Assert.Contains("Get-ClaudeTask", shown[2]);
        Assert.All(shown, text => Assert.DoesNotContain("max_turns", text));
        Assert.All(shown, text => Assert.DoesNotContain("claude_code_", text));
    }

    [Fact]
    public async Task Missing_working_directory_is_ObjectNotFound()
    {
        await using var sandbox = new ModuleSandbox();
        var error = sandbox.Run("Invoke-ClaudeCode 'hi' -WorkingDirectory ./nowhere").Errors.Single();

        Assert.Equal("WorkingDirectoryNotFound,ClaudeCodeMcp.Commands.InvokeClaudeCodeCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains(Path.Combine(sandbox.WorkDir, "nowhere"), error.Exception.Message);
    }

    [Fact]
    public async Task Empty_prompt_and_bad_arguments_are_InvalidArgument_and_the_pipeline_goes_on()
    {
        await using var sandbox = new ModuleSandbox();
        var result = sandbox.Run("'', 'fine' | Start-ClaudeTask; Start-ClaudeTask 'x' -Model '--evil'; Start-ClaudeTask 'x' -AllowedTools '-Read'");

        Assert.Single(result.Output);
        Assert.Equal(["EmptyPrompt", "InvalidArgument", "InvalidArgument"], result.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
        Assert.All(result.Errors, e => Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category));
    }

    [Fact]
    public async Task Parameter_validation_rejects_bad_values_before_anything_starts()
    {
        await using var sandbox = new ModuleSandbox();
        var result = sandbox.Run("""
            Start-ClaudeTask 'x' -PermissionMode sometimes; Invoke-ClaudeCode 'x' -ThrottleLimit 0; Start-ClaudeTask 'x' -MaxTurns 0
            Start-ClaudeTask 'x' -MaxBudgetUsd 0; Start-ClaudeTask 'x' -PermissionMode manual; Start-ClaudeTask 'x' -Timeout 2592001
            """);

        Assert.Equal(6, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.StartsWith("ParameterArgumentValidationError", e.FullyQualifiedErrorId));
        Assert.Empty(sandbox.Run("Get-ClaudeTask").Ok());
    }

    [Fact]
    public async Task Suspend_Job_says_a_task_cannot_be_suspended()
    {
        await using var sandbox = new ModuleSandbox();
        var job = sandbox.Run("Start-ClaudeTask 'fake:sleep 30000'").Ok().Single();

        var stop = Assert.ThrowsAny<Exception>(() => ((Job2)job.BaseObject).SuspendJob());
        Assert.Contains("Stop-ClaudeTask", stop.Message);
    }
}
