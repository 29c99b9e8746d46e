using System.Text.Json;
using ClaudeCodeMcp.Engine.Tests.Support;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

/// <summary>
/// Tasks nest only as deep as allowed: every child carries its depth and task id, and an engine running inside a task
/// at the maximum depth starts no task and says why.
/// </summary>
public sealed class NestingTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_child_carries_its_depth_and_task_id_and_no_IDE_channel()
    {
        await using var sandbox = new Sandbox();
        sandbox.Environment["CLAUDE_CODE_SSE_PORT"] = "51234";
        sandbox.Environment["ENABLE_IDE_INTEGRATION"] = "true";
        var manager = sandbox.Manager();
        var report = sandbox.File("env.json");

        var started = manager.Start(sandbox.Spec($"fake:report {report}") with
        {
            Environment = new Dictionary<string, string> { [TaskNesting.DepthVariable] = "7", [TaskNesting.TaskIdVariable] = "forged" },
        });
        var record = (await manager.WaitAsync([started.Id]).WaitAsync(Hang))[0];

        Assert.Equal(ClaudeTaskState.Completed, record.State);
        Assert.Equal(1, record.Depth);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var env = json.RootElement.GetProperty("env");
        Assert.Equal("1", env.GetProperty(TaskNesting.DepthVariable).GetString());
        Assert.Equal(started.Id, env.GetProperty(TaskNesting.TaskIdVariable).GetString());
        Assert.False(env.TryGetProperty("CLAUDE_CODE_SSE_PORT", out _));
        Assert.False(env.TryGetProperty("ENABLE_IDE_INTEGRATION", out _));
    }

    [Fact]
    public async Task An_engine_inside_a_task_at_the_maximum_depth_starts_nothing_and_says_how_to_allow_more()
    {
        await using var sandbox = new Sandbox();
        sandbox.Environment[TaskNesting.DepthVariable] = "1";
        var manager = sandbox.Manager();

        var refused = Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec("one level too deep")));

        Assert.Equal(ClaudeErrorCode.NestingLimitReached, refused.Code);
        Assert.Contains("inside a Claude task at depth 1", refused.Message);
        Assert.Contains("CLAUDE_CODE_MCP_MAX_DEPTH=2", refused.Message);
        Assert.Empty(manager.List());
    }

    [Theory]
    [InlineData(null, "3")]  // the variable
    [InlineData(3, null)]    // the option (--max-depth, -MaxDepth)
    public async Task A_deeper_maximum_lets_a_task_start_one_level_further(int? option, string? variable)
    {
        await using var sandbox = new Sandbox();
        sandbox.Environment[TaskNesting.DepthVariable] = "2";
        if (variable is not null) sandbox.Environment[TaskNesting.MaxDepthVariable] = variable;
        var manager = sandbox.Manager(sandbox.Options() with { MaxDepth = option });
        var report = sandbox.File("env.json");

        var started = manager.Start(sandbox.Spec($"fake:report {report}"));
        var record = (await manager.WaitAsync([started.Id]).WaitAsync(Hang))[0];

        Assert.Equal(ClaudeTaskState.Completed, record.State);
        Assert.Equal(3, record.Depth);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        Assert.Equal("3", json.RootElement.GetProperty("env").GetProperty(TaskNesting.DepthVariable).GetString());
        Assert.Throws<ClaudeTaskException>(() => sandbox.Manager(sandbox.Options() with { MaxDepth = 2 }).Start(sandbox.Spec("too deep")));
    }
}
