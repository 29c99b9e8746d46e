using ClaudeCodeMcp.Engine.Tests.Support;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

/// <summary>
/// A task given a JSON schema ends with the child's structured output in its record, kept on disk as the child gave
/// it; a child that says it succeeded without one did not do what was asked, so the task is failed and says why.
/// </summary>
public sealed class StructuredOutputTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);
    private const string Schema = """{"type":"object","properties":{"files":{"type":"array","items":{"type":"string"}}},"required":["files"]}""";

    [Fact]
    public async Task A_task_with_a_schema_ends_with_the_structured_output_in_its_record_and_on_disk()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var started = manager.Start(sandbox.Spec("""fake:structured {"files": ["a.cs", "b.cs"], "count": 2}""") with { JsonSchema = Schema });

        var record = (await manager.WaitAsync([started.Id]).WaitAsync(Hang))[0];

        Assert.Equal(ClaudeTaskState.Completed, record.State);
        Assert.Equal("""{"files":["a.cs","b.cs"],"count":2}""", record.StructuredOutput);
        Assert.Equal(record.StructuredOutput, manager.Store.Read(started.Id)!.StructuredOutput);
        Assert.NotNull(record.LastOutputAt);
        Assert.InRange(record.LastOutputAt!.Value, record.StartedAt!.Value, record.EndedAt!.Value);
    }

    [Fact]
    public async Task A_task_with_a_schema_whose_child_gives_no_structured_output_is_failed_with_the_reason()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var started = manager.Start(sandbox.Spec("fake:result I would rather write prose.") with { JsonSchema = Schema });

        var record = (await manager.WaitAsync([started.Id]).WaitAsync(Hang))[0];

        Assert.Equal(ClaudeTaskState.Failed, record.State);
        Assert.Contains("without the structured output its JSON schema asked for", record.Error);
        Assert.Equal("I would rather write prose.", record.Result);
        Assert.Null(record.StructuredOutput);
    }

    [Fact]
    public async Task A_task_without_a_schema_completes_without_structured_output()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();
        var started = manager.Start(sandbox.Spec("fake:result plain"));

        var record = (await manager.WaitAsync([started.Id]).WaitAsync(Hang))[0];

        Assert.Equal(ClaudeTaskState.Completed, record.State);
        Assert.Null(record.StructuredOutput);
    }

    [Fact]
    public async Task An_invalid_schema_is_refused_before_any_task_exists()
    {
        await using var sandbox = new Sandbox();
        var manager = sandbox.Manager();

        var refused = Assert.Throws<ClaudeTaskException>(() => manager.Start(sandbox.Spec("fake:result x") with { JsonSchema = "{\"type\": " }));

        Assert.Equal(ClaudeErrorCode.InvalidArgument, refused.Code);
        Assert.Empty(manager.List());
    }
}
