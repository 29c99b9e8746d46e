using ClaudeCodeMcp.Module.Tests.Support;

namespace ClaudeCodeMcp.Module.Tests.Invoke;

/// <summary>The pipelines a PowerShell user writes.</summary>
public sealed class PipelineTests
{
    [Fact]
    public async Task Prompts_pipe_through_Start_Wait_and_Receive_ClaudeTask()
    {
        await using var sandbox = new ModuleSandbox();
        var results = sandbox.Run("'a', 'b', 'c' | Start-ClaudeTask | Wait-ClaudeTask | Receive-ClaudeTask").Ok();

        Assert.Equal(["a", "b", "c"], results.Select(r => r.Text("Result")).Order());
    }

    [Fact]
    public async Task A_task_piped_into_Start_ClaudeTask_continues_its_session_in_its_folder()
    {
        await using var sandbox = new ModuleSandbox();
        var report = sandbox.File("resume.json");
        Directory.CreateDirectory(sandbox.File("elsewhere"));
        var (first, second) = (sandbox.Run("Start-ClaudeTask 'first' -WorkingDirectory ../elsewhere | Wait-ClaudeTask").Ok().Single(), (System.Management.Automation.PSObject?)null);

        second = sandbox.Run("$t | Start-ClaudeTask \"fake:report $r\" | Wait-ClaudeTask", new() { ["t"] = first, ["r"] = report }).Ok().Single();

        Assert.Equal("Completed", second.Text("TaskState"));
        var argv = System.Text.Json.JsonDocument.Parse(File.ReadAllText(report)).RootElement;
        Assert.Contains($"--resume={first.Text("SessionId")}", argv.GetProperty("argv").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(sandbox.File("elsewhere"), argv.GetProperty("cwd").GetString());
    }

    [Fact]
    public async Task A_result_piped_into_Start_ClaudeTask_continues_its_session()
    {
        await using var sandbox = new ModuleSandbox();
        var report = sandbox.File("resume.json");

        sandbox.Run("Invoke-ClaudeCode 'first' | Start-ClaudeTask \"fake:report $r\" | Wait-ClaudeTask", new() { ["r"] = report }).Ok();

        var first = sandbox.Run("Get-ClaudeTask").Ok().Single(t => t.Text("Result") == "first");
        Assert.False(string.IsNullOrEmpty(first.Text("SessionId")));
        var argv = System.Text.Json.JsonDocument.Parse(File.ReadAllText(report)).RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString());
        Assert.Contains($"--resume={first.Text("SessionId")}", argv);
    }

    [Fact]
    public async Task A_task_or_result_piped_without_a_prompt_is_refused_and_starts_nothing()
    {
        await using var sandbox = new ModuleSandbox();
        sandbox.Run("$t = Start-ClaudeTask 'first' | Wait-ClaudeTask; $r = $t | Receive-ClaudeTask").Ok();

        var result = sandbox.Run("$t | Start-ClaudeTask; $r | Start-ClaudeTask; $t | Invoke-ClaudeCode; 42 | Start-ClaudeTask");

        Assert.Empty(result.Output);
        Assert.Equal(4, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Contains("only text binds to -Prompt", e.Exception.Message));
        Assert.Contains("ClaudeTaskJob is not a prompt", result.Errors[0].Exception.Message);
        Assert.Contains("Start-ClaudeTask 'what to do next'", result.Errors[0].Exception.Message);
        Assert.Contains("ClaudeTaskResult is not a prompt", result.Errors[1].Exception.Message);
        Assert.Single(sandbox.Run("Get-ClaudeTask").Ok());
    }

    [Fact]
    public async Task A_variable_removed_from_env_does_not_reach_the_child()
    {
        await using var sandbox = new ModuleSandbox();
        const string name = "CCM_REMOVED_FROM_ENV";
        var report = sandbox.File("env.json");
        try
        {
            sandbox.Run("""
                $env:CCM_REMOVED_FROM_ENV = 'was here'
                Invoke-ClaudeCode 'the engine starts while it is set' | Out-Null
                $env:CCM_REMOVED_FROM_ENV = $null
                Invoke-ClaudeCode "fake:report $r" | Out-Null
                """, new() { ["r"] = report }).Ok();

            var env = System.Text.Json.JsonDocument.Parse(File.ReadAllText(report)).RootElement.GetProperty("env");
            Assert.False(env.TryGetProperty(name, out _), $"{name} was removed from $env: but reached the child");
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public async Task Task_parameters_reach_the_child_command_line_and_environment()
    {
        await using var sandbox = new ModuleSandbox();
        var report = sandbox.File("args.json");

        sandbox.Run("""
            $env:CCM_FROM_SESSION = 'session value'
            Invoke-ClaudeCode "fake:report $r" -Model opus -PermissionMode acceptedits -AllowedTools Read, 'Bash(git log:*)' -DisallowedTools Write `
                -MaxTurns 3 -MaxBudgetUsd 1.5 -AppendSystemPrompt 'be brief' -AddDirectory ../extra -Environment @{ CCM_EXTRA = 'x' } | Out-Null
            """, new() { ["r"] = report }).Ok();

        var root = System.Text.Json.JsonDocument.Parse(File.ReadAllText(report)).RootElement;
        var argv = root.GetProperty("argv").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Contains("--model=opus", argv);
        Assert.Contains("--permission-mode=acceptEdits", argv);
        Assert.Contains("--allowedTools=Read", argv);
        Assert.Contains("--allowedTools=Bash(git log:*)", argv);
        Assert.Contains("--disallowedTools=Write", argv);
        Assert.Contains("--max-turns=3", argv);
        Assert.Contains("--max-budget-usd=1.5", argv);
        Assert.Contains("--append-system-prompt=be brief", argv);
        Assert.Contains($"--add-dir={sandbox.File("extra")}", argv);
        Assert.Equal(sandbox.WorkDir, root.GetProperty("cwd").GetString());
        Assert.Equal("x", root.GetProperty("env").GetProperty("CCM_EXTRA").GetString());
        Assert.Equal("session value", root.GetProperty("env").GetProperty("CCM_FROM_SESSION").GetString());
        Environment.SetEnvironmentVariable("CCM_FROM_SESSION", null);
    }
}
