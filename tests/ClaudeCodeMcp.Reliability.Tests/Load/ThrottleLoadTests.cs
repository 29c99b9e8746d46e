using System.Collections.Concurrent;
using System.Diagnostics;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;
using ClaudeCodeMcp.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace ClaudeCodeMcp.Reliability.Tests.Load;

/// <summary>Heavy tests run alone, after the others, so their numbers measure the product and not the neighbours.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Heavy
{
    public const string Name = "heavy";
}

/// <summary>Hundreds of tasks queued at once over MCP, against the standalone host.</summary>
[Collection(Heavy.Name)]
public sealed class ThrottleLoadTests(ITestOutputHelper output)
{
    private const int Throttle = 8;

    /// <summary>
    /// The fake claude (a .NET program: ~45 ms of CPU to start) at 8 at once saturates both cores, so this run
    /// shows what a client sees on a busy 2-core machine. The latencies are reported, not judged: speed lives in the
    /// benchmarks (scenario 3 times check_result while hundreds of tasks churn).
    /// </summary>
    [Fact]
    public Task With_the_dotnet_fake_hundreds_of_tasks_end_first_in_first_out_never_more_than_the_limit_alive() =>
        RunLoadAsync(Soak.LoadTasks, lightClaude: false);

    /// <summary>The same churn with children that cost nothing to start: what remains is the server's own work.</summary>
    [Fact]
    public Task With_cheap_children_hundreds_of_tasks_churn_and_check_result_answers_throughout() =>
        RunLoadAsync(Soak.LoadTasks, lightClaude: true);

    private async Task RunLoadAsync(int count, bool lightClaude)
    {
        // The measuring side must not be what stalls: enough pool threads for the sampler's /proc scans and the client.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), io);
        await using var sandbox = new Sandbox();
        var flags = new List<string> { "--throttle-limit", Throttle.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (lightClaude) flags.AddRange(["--claude-path", LightClaude.Create(sandbox, 0.1)]);
        await using var host = await StdioHost.StartAsync(sandbox, [.. flags]);
        var clock = Stopwatch.StartNew();

        // Independent of the engine: count the children alive in the work folder, from /proc (a child's own
        // children, such as the sh fake's sleep, are not counted twice).
        using var done = new CancellationTokenSource();
        var maxAlive = 0;
        var samples = 0;
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                var alive = ProcessRoots.In(sandbox.WorkDir, lightClaude ? "light-claude" : "claude").Count;
                if (alive > maxAlive) maxAlive = alive;
                samples++;
                await Task.Delay(10);
            }
        });

        // While tasks are queued and run, ask for a task's status again and again, as a polling client would.
        var ids = new List<string>(count);
        var latencies = new ConcurrentBag<double>();
        var firstId = new TaskCompletionSource();
        var prober = Task.Run(async () =>
        {
            await firstId.Task;
            // One call first, unmeasured: the host's first check_result pays for loading and compiling that path.
            await host.CallToolAsync("claude_code_check_result", new { task_id = ids[0] });
            var r = new Random(5);
            while (!done.IsCancellationRequested)
            {
                string id;
                lock (ids) id = ids[r.Next(ids.Count)];
                var watch = Stopwatch.StartNew();
                var check = await host.CallToolAsync("claude_code_check_result", new { task_id = id });
                latencies.Add(watch.Elapsed.TotalMilliseconds);
                Assert.False(check.IsError(), check.Text());
                await Task.Delay(2);
            }
        });

        // Queue them all, in order; each child's result is its own number.
        for (var i = 0; i < count; i++)
        {
            var prompt = lightClaude ? $"task {i}" : $"fake:text task {i}";
            var started = await host.CallToolAsync("claude_code_execute_async", new { prompt, working_dir = sandbox.WorkDir, name = $"load-{i}" });
            Assert.False(started.IsError(), started.Text());
            lock (ids) ids.Add(started.StructuredContent().GetProperty("task_id").GetString()!);
            firstId.TrySetResult();
        }
        var queuedIn = clock.Elapsed;

        var records = await Until.AllFinishedAsync(sandbox.StateDir, count, TimeSpan.FromSeconds(Soak.Enabled ? 900 : 240));
        var allDoneIn = clock.Elapsed;
        done.Cancel();
        await Task.WhenAll(sampler, prober);

        var stats = LatencyStats.Of(latencies);
        var child = lightClaude ? "sh children (0.1 s each)" : "dotnet fake children";
        output.WriteLine(FormattableString.Invariant(
            $"{count} tasks, {child}, throttle {Throttle}: queued in {queuedIn.TotalSeconds:0.0} s, all ended in {allDoneIn.TotalSeconds:0.0} s; max alive {maxAlive} over {samples} samples; check_result: {stats}"));

        var byId = records.ToDictionary(r => r.Id);
        Assert.All(ids, id => Assert.Equal(Engine.ClaudeTaskState.Completed, byId[id].State));
        // First in, first out: the order they started in is the order they were queued in.
        var startOrder = ids.OrderBy(id => byId[id].StartedAt).ToList();
        Assert.Equal(ids, startOrder);
        for (var i = 0; i < count; i++) Assert.Equal($"task {i}", byId[ids[i]].Result);
        Assert.InRange(maxAlive, 1, Throttle);
        // No instant had more than the limit running, by the records' own times.
        var events = records.SelectMany(r => new[] { (r.StartedAt!.Value, 1), (r.EndedAt!.Value, -1) }).OrderBy(e => e.Value).ThenBy(e => e.Item2);
        var running = 0;
        foreach (var (_, delta) in events) Assert.InRange(running += delta, 0, Throttle);
        Assert.NotEmpty(latencies); // every check answered without an error while the tasks churned (asserted in the prober)
        host.AssertOnlyJsonRpc();
    }
}
