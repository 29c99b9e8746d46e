using System.Collections.Concurrent;
using System.Diagnostics;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Store;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace ClaudeCodeMcp.Reliability.Tests.Faults;

/// <summary>
/// Two processes (the engine in this test process and the EngineHost) start, stop and remove tasks in one
/// state folder at the same time, while a third reader lists it: no record is lost or corrupted.
/// </summary>
public sealed class TwoProcessChurnTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    /// <summary>What the churn saw, for the report and for the transient check.</summary>
    public sealed record ChurnReport(int Started, int StartedByHost, int Stopped, int Removed, int ListCalls, int TransientUnreadable, string FirstTransient);

    [Fact]
    public async Task Two_processes_starting_stopping_and_removing_in_one_store_lose_and_corrupt_nothing()
    {
        var report = await ChurnAsync(Soak.ChurnTime, output);
        Assert.True(report.Started >= 20, $"only {report.Started} tasks started");
        Assert.True(report.Removed >= 5 && report.Stopped >= 5, report.ToString());
    }

    [Fact]
    public async Task A_reader_never_sees_a_task_unreadable_while_another_process_creates_or_removes_tasks()
    {
        await using var sandbox = new Sandbox();
        var writer = new TaskStore(sandbox.StateDir); // another process's store: the same code, the same folder
        var reader = sandbox.Manager();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var churn = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var record = writer.Create(id => new ClaudeTaskRecord
                {
                    Id = id,
                    State = ClaudeTaskState.Completed,
                    PromptPreview = "",
                    WorkingDirectory = sandbox.WorkDir,
                    CreatedAt = DateTimeOffset.UtcNow,
                }, new string('p', 100_000));
                writer.Delete(record.Id);
            }
        });
        int lists = 0, unreadable = 0;
        string? example = null;
        while (!stop.IsCancellationRequested)
        {
            lists++;
            if (reader.List().FirstOrDefault(r => r.Unreadable) is { } bad)
            {
                unreadable++;
                example ??= bad.Error;
            }
        }
        await churn;

        output.WriteLine($"{unreadable} of {lists} lists showed a phantom unreadable task");
        Assert.True(unreadable == 0, $"{unreadable} of {lists} lists showed a task being created or removed as unreadable, e.g. {example}");
    }

    internal static async Task<ChurnReport> ChurnAsync(TimeSpan duration, ITestOutputHelper output)
    {
        await using var sandbox = new Sandbox();
        var host = sandbox.StartHost(throttle: 4);
        Assert.Equal("ready", await host.ReadLineAsync());
        var manager = sandbox.Manager(sandbox.Options(throttle: 4));
        var reader = sandbox.Manager(sandbox.Options(throttle: 1));

        var expected = new ConcurrentDictionary<string, string?>(); // id -> the result a completed task must have
        var removed = new ConcurrentDictionary<string, bool>();
        var busy = new HashSet<string>(); // ids the host is stopping: not to be removed meanwhile
        var gate = new object();
        int stopped = 0, byHost = 0, listCalls = 0, transient = 0;
        string firstTransient = "";
        var random = new Random(1234);
        var serial = 0;

        string Prompt(Random r, out string? result)
        {
            var n = Interlocked.Increment(ref serial);
            switch (r.Next(4))
            {
                case 0:
                    result = null;
                    return "fake:sleep 60000"; // only ends when stopped
                case 1:
                    result = $"medium {n}";
                    return $"fake:sleep {r.Next(50, 400)}\nfake:text {result}";
                default:
                    result = $"quick {n}";
                    return $"fake:text {result}";
            }
        }

        using var stop = new CancellationTokenSource(duration);

        // The host: starts and stops tasks through its own engine.
        var hostActor = Task.Run(async () =>
        {
            var r = new Random(99);
            var promptFile = sandbox.File("host-prompt.txt");
            while (!stop.IsCancellationRequested)
            {
                if (r.Next(3) > 0)
                {
                    File.WriteAllText(promptFile, Prompt(r, out var result));
                    var (id, _) = await host.StartTaskAsync(promptFile);
                    expected[id] = result;
                    Interlocked.Increment(ref byHost);
                }
                else
                {
                    string? target;
                    lock (gate)
                    {
                        target = expected.Keys.Where(id => !removed.ContainsKey(id) && !busy.Contains(id)).OrderBy(_ => r.Next()).FirstOrDefault();
                        if (target is not null) busy.Add(target);
                    }
                    if (target is not null)
                    {
                        var answer = await host.SendAsync($"stop {target}");
                        Assert.StartsWith($"stopped {target} ", answer);
                        Interlocked.Increment(ref stopped);
                        lock (gate) busy.Remove(target);
                    }
                }
                await Task.Delay(r.Next(10, 60));
            }
        });

        // This process: starts, stops and removes (its own tasks and the host's).
        var localActor = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                int action;
                lock (random) action = random.Next(10);
                if (action < 5)
                {
                    string prompt;
                    string? result;
                    lock (random) prompt = Prompt(random, out result);
                    var record = manager.Start(sandbox.Spec(prompt));
                    expected[record.Id] = result;
                }
                else if (action < 7)
                {
                    var target = expected.Keys.Where(id => !removed.ContainsKey(id)).OrderBy(_ => Guid.NewGuid()).FirstOrDefault();
                    if (target is not null)
                    {
                        var record = await manager.StopAsync(target).WaitAsync(Hang);
                        Assert.True(record.IsFinished, $"{target} is {record.State} after a stop");
                        Interlocked.Increment(ref stopped);
                    }
                }
                else
                {
                    string? target;
                    lock (gate)
                    {
                        target = expected.Keys.Where(id => !removed.ContainsKey(id) && !busy.Contains(id)).OrderBy(_ => Guid.NewGuid()).FirstOrDefault();
                        if (target is not null) removed[target] = true; // claimed before it goes
                    }
                    if (target is not null)
                    {
                        var force = action == 9;
                        try
                        {
                            await manager.RemoveAsync(target, force).WaitAsync(Hang);
                        }
                        catch (ClaudeTaskException e) when (!force && e.Code == ClaudeErrorCode.TaskStillRunning)
                        {
                            removed.TryRemove(target, out _); // not finished yet: it stays
                        }
                    }
                }
                await Task.Delay(Random.Shared.Next(10, 60));
            }
        });

        // A third engine only reads, as a terminal's Get-ClaudeTask would.
        var readerActor = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var list = reader.List();
                Interlocked.Increment(ref listCalls);
                var bad = list.FirstOrDefault(r => r.Unreadable);
                if (bad is not null && Interlocked.Increment(ref transient) == 1) firstTransient = bad.Error ?? "";
                await Task.Delay(2);
            }
        });

        await Task.WhenAll(hostActor, localActor, readerActor).WaitAsync(duration + Hang);

        // Wind down: stop what still runs, from this process (the host's tasks included).
        foreach (var id in expected.Keys.Where(id => !removed.ContainsKey(id)))
        {
            var record = await manager.StopAsync(id).WaitAsync(Hang);
            Assert.True(record.IsFinished);
        }
        var listed = new TaskStore(sandbox.StateDir).List().ToDictionary(r => r.Id);
        var kept = expected.Keys.Where(id => !removed.ContainsKey(id)).ToList();

        // Nothing lost: every task not deliberately removed is there, finished, readable and consistent.
        foreach (var id in kept)
        {
            Assert.True(listed.TryGetValue(id, out var record), $"task {id} was lost");
            Assert.False(record!.Unreadable, $"task {id} is unreadable: {record.Error}");
            Assert.True(record.State is ClaudeTaskState.Completed or ClaudeTaskState.Cancelled, $"task {id} ended {record.State}: {record.Error}");
            if (record.State == ClaudeTaskState.Completed) Assert.Equal(expected[id], record.Result);
            else Assert.False(string.IsNullOrEmpty(record.Error));
            Assert.Null(record.Child);
            Assert.NotNull(record.EndedAt);
            Assert.True(record.StartedAt is null || record.StartedAt <= record.EndedAt, $"task {id} ended before it started");
        }
        // Nothing resurrected: every removed task is gone from the list and from disk.
        foreach (var id in removed.Keys)
        {
            Assert.False(listed.ContainsKey(id), $"removed task {id} came back as {listed.GetValueOrDefault(id)?.State}");
            Assert.False(Directory.Exists(Path.Combine(sandbox.StateDir, "tasks", id)), $"removed task {id} left its folder");
        }
        Assert.Equal(kept.Order(), listed.Keys.Order());
        Assert.Equal("bye", await host.SendAsync("exit"));
        await host.Process.WaitForExitAsync().WaitAsync(Hang);

        var report = new ChurnReport(expected.Count, byHost, stopped, removed.Count, listCalls, transient, firstTransient);
        output.WriteLine($"churn {duration.TotalSeconds} s: {report}");
        return report;
    }
}
