using System.Diagnostics;
using System.Text.RegularExpressions;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace ClaudeCodeMcp.EndToEnd.Tests;

/// <summary>Timing tests run alone, after the others, so a busy machine does not blur them.</summary>
[CollectionDefinition(nameof(TimedCollection), DisableParallelization = true)]
public sealed class TimedCollection;

/// <summary>Three children at once take about as long as one: the engine and the host really run them in parallel.</summary>
[Collection(nameof(TimedCollection))]
public sealed partial class ParallelEndToEndTests(ITestOutputHelper output) : IClassFixture<SuiteDiagnostics>
{
    /// <summary>How long the fake model takes per reply.</summary>
    private static readonly TimeSpan ModelTime = TimeSpan.FromSeconds(2);

    [SkippableFact]
    public async Task Three_engine_children_in_parallel_finish_in_about_the_time_of_one()
    {
        await using var rig = await EndToEndRig.StartAsync();
        SlowModel(rig);
        var manager = rig.Manager(throttle: 4);

        var clock = Stopwatch.StartNew();
        var alone = await EngineEndToEndTests.RunAsync(output, manager, rig.Spec("E2E-PARALLEL #0"));
        var one = clock.Elapsed;
        Assert.True(alone.State == ClaudeTaskState.Completed, alone.Error);

        clock.Restart();
        var ids = Enumerable.Range(1, 3).Select(i => manager.Start(rig.Spec($"E2E-PARALLEL #{i}")).Id).ToList();
        var done = await manager.WaitAsync(ids, timeout: EndToEndRig.Hang);
        var three = clock.Elapsed;
        foreach (var task in done) output.WriteLine(EngineEndToEndTests.Describe(task));

        Assert.All(done, t => Assert.True(t.State == ClaudeTaskState.Completed, t.Error));
        Assert.Equal(["answer #1", "answer #2", "answer #3"], done.Select(t => t.Result));
        AssertParallel(rig, one, three);
    }

    [SkippableFact]
    public async Task Three_children_started_through_the_host_in_parallel_finish_in_about_the_time_of_one()
    {
        await using var rig = await EndToEndRig.StartAsync();
        SlowModel(rig);
        var client = await rig.StartHostAsync(flags: ["--throttle-limit", "4"]);
        object Args(int i) => new { prompt = $"E2E-PARALLEL #{i}", working_dir = rig.WorkDir, max_turns = 2, timeout = 60 };

        var clock = Stopwatch.StartNew();
        var alone = Assert.Single(await client.WaitAllAsync(await client.StartTaskAsync(Args(0))));
        var one = clock.Elapsed;
        Assert.Equal("completed", alone.Str("status"));

        clock.Restart();
        var ids = new List<string>();
        for (var i = 1; i <= 3; i++) ids.Add(await client.StartTaskAsync(Args(i)));
        var done = await client.WaitAllAsync([.. ids]);
        var three = clock.Elapsed;
        foreach (var task in done) output.WriteLine(task.ToString());

        Assert.All(done, t => Assert.Equal("completed", t.Str("status")));
        Assert.Equal(["answer #1", "answer #2", "answer #3"], done.Select(t => t.Str("result")));
        AssertParallel(rig, one, three);
    }

    private static void SlowModel(EndToEndRig rig) =>
        rig.Api.OnConversation("E2E-PARALLEL", r => ApiReply.Text("answer #" + Number().Match(r.FirstUserText).Groups[1].Value).After(ModelTime));

    private void AssertParallel(EndToEndRig rig, TimeSpan one, TimeSpan three)
    {
        foreach (var r in rig.Api.Requests) output.WriteLine($"model request at {r.ReceivedAt:HH:mm:ss.fff}: {Number().Match(r.FirstUserText).Value}");
        output.WriteLine($"one child: {one.TotalMilliseconds:0} ms; three in parallel: {three.TotalMilliseconds:0} ms; most requests at once: {rig.Api.MaxConcurrent}");
        // The three model calls overlapped...
        Assert.Equal(3, rig.Api.MaxConcurrent);
        // ...and the three children took far less than three times one (generous bounds: a 2-core machine, cold starts).
        Assert.True(three < one * 2, $"three in parallel took {three.TotalMilliseconds:0} ms, one alone {one.TotalMilliseconds:0} ms");
        Assert.True(three < ModelTime * 3, $"three in parallel took {three.TotalMilliseconds:0} ms, at least the time of three in a row");
    }

    [GeneratedRegex(@"E2E-PARALLEL #(\d+)")]
    private static partial Regex Number();
}
