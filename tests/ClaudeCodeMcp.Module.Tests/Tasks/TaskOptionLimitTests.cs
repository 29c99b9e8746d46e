using ClaudeCodeMcp.Module.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Module.Tests.Tasks;

/// <summary>
/// The cmdlets accept and refuse the task options' boundary values exactly as the MCP tools do: the same table
/// (<see cref="TaskOptionBoundaries"/>) runs through claude_code_execute_async in the MCP tests.
/// </summary>
public sealed class TaskOptionLimitTests
{
    [Fact]
    public async Task Boundary_values_are_accepted_and_refused_as_by_the_tools_and_refusals_say_the_limits()
    {
        await using var sandbox = new ModuleSandbox();
        var wrong = new List<string>();

        foreach (var boundary in TaskOptionBoundaries.All)
        {
            var result = sandbox.Run($"Start-ClaudeTask 'limits' -{boundary.Parameter} $value", new() { ["value"] = boundary.Value });
            var accepted = result.Errors.Count == 0 && result.Output.Count == 1;
            var error = string.Join(" | ", result.Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e.Exception.Message}"));
            if (accepted != boundary.Accepted) wrong.Add($"{boundary}: {(accepted ? "accepted" : "refused: " + error)}");
            else if (!accepted && !error.Contains(boundary.Says!, StringComparison.Ordinal))
                wrong.Add($"{boundary}: the refusal does not say '{boundary.Says}': {error}");
            else if (!accepted && !error.Contains($"'{boundary.Parameter}'", StringComparison.Ordinal))
                wrong.Add($"{boundary}: the refusal does not name -{boundary.Parameter}: {error}");
            else if (!accepted && result.Output.Count > 0) wrong.Add($"{boundary}: refused, yet a task started");
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public async Task PermissionMode_completes_the_engines_choices()
    {
        await using var sandbox = new ModuleSandbox();
        const string line = "Start-ClaudeTask x -PermissionMode ";

        var completions = sandbox.Run("(TabExpansion2 -inputScript $l -cursorColumn $l.Length).CompletionMatches.CompletionText",
            new() { ["l"] = line }).Ok();

        Assert.Equal(["default", "acceptEdits", "plan", "auto", "dontAsk", "bypassPermissions"], completions.Select(c => c.ToString()));
    }
}
