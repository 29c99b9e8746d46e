using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using ClaudeCodeMcp.Engine;

namespace ClaudeCodeMcp.Jobs;

/// <summary>
/// Puts Claude tasks in PowerShell's job system. Import-Module registers this adapter (one instance per
/// runspace); the cmdlets hand it the tasks this session starts or uses (<see cref="Use"/>) through
/// <c>JobManager.NewJob</c>, so the built-in job cmdlets find, wait for, stop and remove them. Removing a job
/// forgets it in this runspace only; Remove-ClaudeTask deletes a task's state.
/// </summary>
public sealed class ClaudeTaskJobSourceAdapter : JobSourceAdapter
{
    private const string JobParameter = "Job";
    private static readonly ConditionalWeakTable<JobManager, ConcurrentDictionary<string, ClaudeTaskJob>> Indexes = new();

    private readonly List<ClaudeTaskJob> _jobs = [];

    public ClaudeTaskJobSourceAdapter() => Name = ClaudeTaskJob.JobTypeName;

    /// <summary>
    /// The runspace's task object for a task: one per task per runspace, made the first time any cmdlet meets the task
    /// (its job id, the <c>Id</c> column, stays with it), kept current from then on, but not in Get-Job until it is
    /// used (<see cref="Use"/>): listing the store adds nothing to the session's jobs.
    /// </summary>
    internal static ClaudeTaskJob Known(JobManager jobManager, SharedEngine engine, ClaudeTaskRecord record)
    {
        var index = IndexOf(jobManager);
        var key = Key(engine, record.Id);
        if (index.TryGetValue(key, out var existing))
        {
            existing.Apply(record);
            return existing;
        }
        lock (index)
        {
            if (index.TryGetValue(key, out existing)) return existing;
            var job = new ClaudeTaskJob(engine, record) { Index = index };
            index[key] = job;
            job.Follow();
            return job;
        }
    }

    /// <summary>Puts a task object in Get-Job (the tasks this session started or used), once.</summary>
    internal static ClaudeTaskJob Use(JobManager jobManager, ClaudeTaskJob job)
    {
        var index = IndexOf(jobManager);
        lock (index)
        {
            if (job.Adapter is not null || job.Index != index || !index.ContainsKey(Key(job.Engine, job.TaskId))) return job;
            var definition = new JobDefinition(typeof(ClaudeTaskJobSourceAdapter), job.Command, job.Name);
            var parameters = new CommandParameterCollection { new CommandParameter(JobParameter, job) };
            jobManager.NewJob(new JobInvocationInfo(definition, parameters));
            return job;
        }
    }

    /// <summary>The runspace's task object with this job id (the <c>Id</c> column) in a state folder, if this session met it.</summary>
    internal static ClaudeTaskJob? ByJobId(JobManager jobManager, SharedEngine engine, int id) =>
        IndexOf(jobManager).Values.FirstOrDefault(j => j.Id == id && j.Engine == engine);

    /// <summary>Every task object this runspace has met (tab completion of -Id).</summary>
    internal static IReadOnlyList<ClaudeTaskJob> KnownJobs(JobManager jobManager) => [.. IndexOf(jobManager).Values];

    private static ConcurrentDictionary<string, ClaudeTaskJob> IndexOf(JobManager jobManager) =>
        Indexes.GetValue(jobManager, _ => new ConcurrentDictionary<string, ClaudeTaskJob>(StringComparer.Ordinal));

    /// <summary>Drops a job from Get-Job and this runspace's index, and disposes it (Remove-Job, Remove-ClaudeTask).</summary>
    internal static void Discard(ClaudeTaskJob job)
    {
        job.Index?.TryRemove(Key(job.Engine, job.TaskId), out _);
        job.Adapter?.Drop(job);
        job.Dispose();
    }

    public override Job2 NewJob(JobInvocationInfo specification)
    {
        var job = (ClaudeTaskJob)specification.Parameters[0][0].Value;
        job.Adapter = this;
        lock (_jobs) _jobs.Add(job);
        return job;
    }

    public override IList<Job2> GetJobs()
    {
        lock (_jobs) return [.. _jobs];
    }

    public override IList<Job2> GetJobsByName(string name, bool recurse)
    {
        var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
        return Where(j => pattern.IsMatch(j.Name));
    }

    public override IList<Job2> GetJobsByCommand(string command, bool recurse)
    {
        var pattern = new WildcardPattern(command, WildcardOptions.IgnoreCase);
        return Where(j => pattern.IsMatch(j.Command));
    }

    public override IList<Job2> GetJobsByState(JobState state, bool recurse) => Where(j => j.JobStateInfo.State == state);

    public override IList<Job2> GetJobsByFilter(Dictionary<string, object> filter, bool recurse) => [];

    public override Job2? GetJobByInstanceId(Guid instanceId, bool recurse) => Where(j => j.InstanceId == instanceId).FirstOrDefault();

    public override Job2? GetJobBySessionId(int id, bool recurse) => Where(j => j.Id == id).FirstOrDefault();

    /// <summary>
    /// Remove-Job (and Receive-Job -AutoRemoveJob): the job leaves this runspace, nothing more. The task stays
    /// in the shared state folder, where other processes and the MCP server may still want it; Remove-ClaudeTask
    /// deletes it. (Remove-Job -Force stops a running task first, through StopJob.)
    /// </summary>
    public override void RemoveJob(Job2 job)
    {
        if (job is ClaudeTaskJob claudeJob) Discard(claudeJob);
    }

    private void Drop(ClaudeTaskJob job)
    {
        lock (_jobs) _jobs.Remove(job);
    }

    private List<Job2> Where(Func<ClaudeTaskJob, bool> predicate)
    {
        lock (_jobs) return _jobs.Where(predicate).Cast<Job2>().ToList();
    }

    private static string Key(SharedEngine engine, string id) => engine.Root + "|" + id;
}
