using System.Management.Automation;
using ClaudeCodeMcp.Module.Tests.Support;

namespace ClaudeCodeMcp.Module.Tests.Invoke;

/// <summary>Tab completion of -Id, -Name and -Model.</summary>
public sealed class CompletionTests
{
    [Fact]
    public async Task Id_Name_and_Model_complete_from_the_store()
    {
        await using var sandbox = new ModuleSandbox();
        var task = sandbox.Run("Start-ClaudeTask 'hello' -Name 'my build' -Model haiku | Wait-Job").Ok().Single();
        var id = task.Text("TaskId")!;

        Assert.Contains(id, Complete(sandbox, $"Get-ClaudeTask -StateDirectory '{sandbox.StateDir}' -TaskId {id[..3]}"));
        Assert.Contains(id, Complete(sandbox, $"Stop-ClaudeTask -StateDirectory '{sandbox.StateDir}' -TaskId "));
        Assert.Equal(["'my build'"], Complete(sandbox, $"Get-ClaudeTask -StateDirectory '{sandbox.StateDir}' -Name my"));
        Assert.Contains("sonnet", Complete(sandbox, "Start-ClaudeTask x -Model so"));
        Assert.Contains("opus", Complete(sandbox, "Invoke-ClaudeCode x -Model "));
        Assert.Equal(["acceptEdits"], Complete(sandbox, "Start-ClaudeTask x -PermissionMode acc"));
    }

    [Fact]
    public async Task StateDirectory_is_resolved_against_the_current_location_and_completion_creates_nothing()
    {
        await using var sandbox = new ModuleSandbox();
        var id = sandbox.Run("(Start-ClaudeTask 'hello' | Wait-Job).TaskId").Ok().Single().ToString()!;
        var typo = "ccm-typo-" + Guid.NewGuid().ToString("N");

        Assert.Contains(id, Complete(sandbox, "Get-ClaudeTask -StateDirectory ../state -TaskId "));
        Assert.Empty(Complete(sandbox, $"Get-ClaudeTask -StateDirectory {typo} -TaskId "));
        Assert.Empty(Complete(sandbox, $"Start-ClaudeTask x -StateDirectory {typo} -Name "));

        Assert.False(Directory.Exists(Path.Combine(sandbox.WorkDir, typo)), "Completion created the mistyped folder");
        Assert.False(Directory.Exists(Path.GetFullPath(typo)), "Completion created the mistyped folder in the process's working directory");
    }

    private static List<string> Complete(ModuleSandbox sandbox, string line)
    {
        var result = sandbox.Run("TabExpansion2 -inputScript $l -cursorColumn $l.Length", new() { ["l"] = line }).Ok().Single();
        return ((CommandCompletion)result.BaseObject).CompletionMatches.Select(m => m.CompletionText).ToList();
    }
}
