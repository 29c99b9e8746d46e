using System.Management.Automation;
using ClaudeCodeMcp.Module.Tests.Support;

namespace ClaudeCodeMcp.Module.Tests.Jobs;

/// <summary>
/// How a task's job takes the engine's updates: from racing threads, and after it was removed. These drive the
/// job's internal Apply by reflection from many threads at once, which no user command can do on purpose, so they
/// stay here; what a user does with jobs is tests/Pester/Jobs.Tests.ps1.
/// </summary>
public sealed class JobUpdateTests
{
    [Fact]
    public async Task A_job_never_goes_back_from_its_end_state_however_updates_race()
    {
        await using var sandbox = new ModuleSandbox();
        var template = sandbox.Run("Start-ClaudeTask 'fake:sleep 30000'").Ok().Single().BaseObject;

        var running = ModuleInternals.RecordWithState(template, "Running");
        var completed = ModuleInternals.RecordWithState(template, "Completed");

        // Pairs of threads hand the same jobs a running and a completed snapshot at the same moment, more
        // pairs than cores, so that a thread is now and then preempted between deciding and setting a state.
        const int pairs = 3, rounds = 500;
        var jobs = Enumerable.Range(0, pairs).Select(_ => Enumerable.Range(0, rounds).Select(_ => ModuleInternals.NewJob(template, "Queued")).ToArray()).ToArray();
        var threads = new List<Thread>();
        foreach (var batch in jobs)
        {
            var together = new Barrier(2);
            foreach (var record in new[] { running, completed })
            {
                threads.Add(new Thread(() =>
                {
                    foreach (var job in batch)
                    {
                        together.SignalAndWait();
                        ModuleInternals.Apply(job, record);
                    }
                }));
            }
        }
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var wrong = jobs.SelectMany(b => b).Count(j => j.JobStateInfo.State != JobState.Completed || j.Output.Count != 1);
        Assert.True(wrong == 0, $"{wrong} of {pairs * rounds} jobs did not end Completed with one result");
        foreach (var job in jobs.SelectMany(b => b)) job.Dispose();
    }

    [Fact]
    public async Task A_removed_job_ignores_late_updates()
    {
        await using var sandbox = new ModuleSandbox();
        var template = sandbox.Run("Start-ClaudeTask 'fake:sleep 30000'").Ok().Single().BaseObject;
        var job = ModuleInternals.NewJob(template, "Running");
        job.Dispose();

        ModuleInternals.Apply(job, ModuleInternals.RecordWithState(template, "Completed"));

        Assert.Equal(JobState.Running, job.JobStateInfo.State);
    }
}
