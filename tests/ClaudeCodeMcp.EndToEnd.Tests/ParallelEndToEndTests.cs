using System.Text.RegularExpressions;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace ClaudeCodeMcp.EndToEnd.Tests;

/// <summary>
/// Three children at once really run at once: the fake model answers none of them until all three are waiting on it
/// (or half a minute has passed), so they finish only if the engine and the host started them in parallel.
/// </summary>
public sealed partial class ParallelEndToEndTests(ITestOutputHelper output) : IClassFixture<SuiteDiagnostics>
{
    /// <summary>How long the fake model waits for all three requests before it answers anyway.</summary>
    private static readonly TimeSpan AllThreeWithin = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task Three_engine_children_run_at_the_same_time()
    {
        await using var rig = await EndToEndRig.StartAsync();
        ModelAnsweringOnlyThreeAtOnce(rig);
        var manager = rig.Manager(throttle: 4);

        var ids = Enumerable.Range(1, 3).Select(i => manager.Start(rig.Spec($"E2E-PARALLEL #{i}")).Id).ToList();
        var done = await manager.WaitAsync(ids, timeout: EndToEndRig.Hang);
        foreach (var task in done) output.WriteLine(EngineEndToEndTests.Describe(task));

        Assert.All(done, t => Assert.True(t.State == ClaudeTaskState.Completed, t.Error));
        Assert.Equal(["answer #1", "answer #2", "answer #3"], done.Select(t => t.Result));
        AssertAllThreeAtOnce(rig);
    }

    [SkippableFact]
    public async Task Three_children_started_through_the_host_run_at_the_same_time()
    {
        await using var rig = await EndToEndRig.StartAsync();
        ModelAnsweringOnlyThreeAtOnce(rig);
        var client = await rig.StartHostAsync(flags: ["--throttle-limit", "4"]);
        object Args(int i) => new { prompt = $"E2E-PARALLEL #{i}", working_dir = rig.WorkDir, max_turns = 2, timeout = 90 };

        var ids = new List<string>();
        for (var i = 1; i <= 3; i++) ids.Add(await client.StartTaskAsync(Args(i)));
        var done = await client.WaitAllAsync([.. ids]);
        foreach (var task in done) output.WriteLine(task.ToString());

        Assert.All(done, t => Assert.Equal("completed", t.Str("status")));
        Assert.Equal(["answer #1", "answer #2", "answer #3"], done.Select(t => t.Str("result")));
        AssertAllThreeAtOnce(rig);
    }

    private static void ModelAnsweringOnlyThreeAtOnce(EndToEndRig rig) =>
        rig.Api.OnConversation("E2E-PARALLEL", r => ApiReply.Text("answer #" + Number().Match(r.FirstUserText).Groups[1].Value)
            .Once(() => rig.Api.InFlightAsync(3, AllThreeWithin)));

    private void AssertAllThreeAtOnce(EndToEndRig rig)
    {
        foreach (var r in rig.Api.Requests) output.WriteLine($"model request at {r.ReceivedAt:HH:mm:ss.fff}: {Number().Match(r.FirstUserText).Value}");
        // Had the children run one after another, no two requests would have waited on the model together.
        Assert.Equal(3, rig.Api.MaxConcurrent);
    }

    [GeneratedRegex(@"E2E-PARALLEL #(\d+)")]
    private static partial Regex Number();
}
