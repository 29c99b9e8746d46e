using System.ComponentModel;
using System.Management.Automation;
using ClaudeCodeMcp.Engine;

namespace ClaudeCodeMcp.Jobs;

/// <summary>
/// A Claude task as a PowerShell job: its state follows the engine's record (events for this process's
/// tasks, the shared store for others'), and when it ends its output holds a <see cref="ClaudeTaskResult"/>
/// and, when it failed or timed out, <c>JobStateInfo.Reason</c> says why (Receive-Job writes it as an error). Get-Job, Wait-Job, Receive-Job, Stop-Job and
/// Remove-Job work on it.
/// </summary>
public sealed class ClaudeTaskJob : Job2
{
    public const string JobTypeName = "ClaudeTask";

    /// <summary>
    /// Job2's protected <c>SetJobState(JobState, Exception)</c>, which sets <c>JobStateInfo.Reason</c>. PowerShellStandard,
    /// which the module compiles against, lacks it; pwsh 7 has it. Null where it is missing: the state is set without a reason.
    /// </summary>
    private static readonly Action<Job2, JobState, Exception?>? SetJobStateWithReason = FindSetJobStateWithReason();

    private readonly object _gate = new();
    private ClaudeTaskRecord _record;
    private IDisposable? _follow;
    private bool _ended;
    private bool _isDisposed;

    /// <summary>A job showing <paramref name="record"/> as it is now: a finished task is a finished job at once.</summary>
    internal ClaudeTaskJob(SharedEngine engine, ClaudeTaskRecord record)
        : base(record.PromptPreview, record.Name)
    {
        // An unnamed task's job has no name either (not PowerShell's "Job<n>"): piped into Start-ClaudeTask, a task
        // hands its name on, and a made-up one would become a real one.
        if (record.Name is null) Name = "";
        Engine = engine;
        _record = record;
        PSJobTypeName = JobTypeName;
        lock (_gate) Take(record);
    }

    /// <summary>The task's id, as Get-ClaudeTask -Id and the MCP tools take it.</summary>
    public string TaskId => _record.Id;

    /// <summary>The task's own state (the job's State maps it: queued NotStarted, cancelled Stopped, timed_out Failed).</summary>
    public ClaudeTaskState TaskState => _record.State;

    public string PromptPreview => _record.PromptPreview;

    /// <summary>Where the child works: for a worktree task, the worktree's folder.</summary>
    public string WorkingDirectory => _record.WorkingDirectory;

    /// <summary>The branch that holds a worktree task's work (<c>claude-task/&lt;task id&gt;</c>); null without isolation.</summary>
    public string? Branch => _record.Worktree?.Branch;

    /// <summary>The git worktree the task runs in, its branch and what changed (as last looked at); null without isolation.</summary>
    public TaskWorktree? Worktree => TaskWorktree.Of(_record);

    public string? Model => _record.Model ?? _record.RequestedModel;
    public string? SessionId => _record.SessionId;
    public double? CostUsd => _record.CostUsd;
    public int? NumTurns => _record.NumTurns;

    /// <summary>The tokens the run used, by kind, once it ended with a result.</summary>
    public TokenUsage? Usage => TokenUsage.Of(_record);

    /// <summary>How many times the child was started (more than 1 when -MaxRetries ran it again).</summary>
    public int Attempts => _record.Attempts;
    public string? Result => _record.Result;

    /// <summary>Tools the child was refused: a run can complete having done none of its work.</summary>
    public ToolList PermissionDenials => ToolList.DeniedIn(_record);

    /// <summary>Why the task did not complete.</summary>
    public string? Reason => PowerShellHints.Words.ErrorOf(_record);

    /// <summary>What the child is doing now, e.g. <c>turn 3, running Bash</c>.</summary>
    public string? Activity => _record.IsFinished ? null : _record.Activity?.Describe();

    /// <summary>Time spent running so far, or in all.</summary>
    public TimeSpan? Elapsed => _record.Elapsed;

    public DateTime CreatedAt => _record.CreatedAt.LocalDateTime;
    public DateTime? StartedAt => _record.StartedAt?.LocalDateTime;
    public DateTime? EndedAt => _record.EndedAt?.LocalDateTime;

    /// <summary>How deep the child runs: 1 for a task started outside any task.</summary>
    public int Depth => _record.Depth;

    /// <summary>The process that runs the task's child (this one, or another sharing the state folder).</summary>
    public int? OwnerProcessId => _record.Owner?.Pid;

    /// <summary>The child <c>claude</c> process while it runs.</summary>
    public int? ProcessId => _record.Child?.Pid;

    /// <summary>The state folder the task lives in.</summary>
    public string StateDirectory => Engine.Root;

    public override string StatusMessage => Reason ?? Activity ?? _record.State.ToWireName();

    public override bool HasMoreData => Output.Count > 0 || Error.Count > 0 || Warning.Count > 0;

    public override string Location => _record.Owner?.Pid == Environment.ProcessId ? "this process" : $"pid {_record.Owner?.Pid}";

    internal SharedEngine Engine { get; }
    internal ClaudeTaskJobSourceAdapter? Adapter { get; set; }
    internal System.Collections.Concurrent.ConcurrentDictionary<string, ClaudeTaskJob>? Index { get; set; }
    internal ClaudeTaskRecord Record => _record;

    /// <summary>
    /// Starts following an unfinished task: engine events when this process runs it, else the engine's one loop over
    /// other processes' tasks (no loop of the job's own).
    /// </summary>
    internal void Follow()
    {
        if (_record.IsFinished) return;
        var follow = Engine.Follow(TaskId, Apply);
        lock (_gate)
        {
            if (!_ended && !_isDisposed)
            {
                _follow = follow;
                follow = null;
            }
        }
        follow?.Dispose(); // the task ended (or the job was removed) before the follow was in place
        if (Engine.Owns(TaskId) && Engine.Manager.Get(TaskId) is { } latest) Apply(latest);
    }

    /// <summary>
    /// Takes a newer snapshot, from any thread. The job's state only moves forward (NotStarted, Running, then an
    /// end state, once), changes under the lock so that racing snapshots cannot reorder it, and stays as it
    /// is once the job was removed.
    /// </summary>
    internal void Apply(ClaudeTaskRecord record)
    {
        IDisposable? follow = null;
        lock (_gate)
        {
            if (_ended || _isDisposed || (record.State < _record.State && record.RetryAt is null)) return; // queued again: waits to retry
            Take(record);
            if (_ended) (follow, _follow) = (_follow, null);
        }
        follow?.Dispose();
    }

    /// <summary>Under the lock: the record, its job state, and when it has ended its result (and reason) in the job's streams.</summary>
    private void Take(ClaudeTaskRecord record)
    {
        _record = record;
        var next = Map(record.State);
        Exception? reason = null;
        if (record.IsFinished)
        {
            _ended = true;
            Output.Add(PSObject.AsPSObject(new ClaudeTaskResult(record)));
            if (ClaudeErrors.DenialWarning(record) is { } warning) Warning.Add(new WarningRecord(warning));
            if (record.State is ClaudeTaskState.Failed or ClaudeTaskState.TimedOut)
            {
                // Receive-Job writes a failed job's reason as an error; only where the reason cannot be set does
                // the error stream carry it (once: both would show it twice).
                var error = ClaudeErrors.TaskEnded(record, this);
                if (SetJobStateWithReason is null) Error.Add(error);
                reason = error.Exception;
            }
        }
        if (Rank(next) <= Rank(JobStateInfo.State)) return;
        if (reason is not null && SetJobStateWithReason is { } setWithReason) setWithReason(this, next, reason);
        else SetJobState(next);
    }

    private static int Rank(JobState state) => state switch
    {
        JobState.NotStarted => 0,
        JobState.Running => 1,
        _ => 2,
    };

    private static Action<Job2, JobState, Exception?>? FindSetJobStateWithReason()
    {
        var method = typeof(Job2).GetMethod("SetJobState", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic,
            null, [typeof(JobState), typeof(Exception)], null);
        if (method is null || !(method.IsFamily || method.IsFamilyOrAssembly)) return null;
        try
        {
            return (Action<Job2, JobState, Exception?>)Delegate.CreateDelegate(typeof(Action<Job2, JobState, Exception?>), method);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public static JobState Map(ClaudeTaskState state) => state switch
    {
        ClaudeTaskState.Queued => JobState.NotStarted,
        ClaudeTaskState.Running => JobState.Running,
        ClaudeTaskState.Completed => JobState.Completed,
        ClaudeTaskState.Cancelled => JobState.Stopped,
        _ => JobState.Failed,
    };

    public override void StartJob()
    {
        // The engine started the task when the job was made; a queued task starts when a slot frees up.
    }

    public override void StartJobAsync() => OnStartJobCompleted(new AsyncCompletedEventArgs(null, false, null));

    public override void StopJob() => Apply(Engine.Manager.StopAsync(TaskId).GetAwaiter().GetResult());

    public override void StopJob(bool force, string reason) => StopJob();

    public override void StopJobAsync() => StopJobAsync(false, null!);

    public override void StopJobAsync(bool force, string reason) => Task.Run(() =>
    {
        Exception? error = null;
        try
        {
            StopJob();
        }
        catch (Exception e)
        {
            error = e;
        }
        OnStopJobCompleted(new AsyncCompletedEventArgs(error, false, null));
    });

    public override void SuspendJob() => throw Unsupported("suspended");
    public override void SuspendJob(bool force, string reason) => throw Unsupported("suspended");
    public override void SuspendJobAsync() => OnSuspendJobCompleted(new AsyncCompletedEventArgs(Unsupported("suspended"), false, null));
    public override void SuspendJobAsync(bool force, string reason) => SuspendJobAsync();
    public override void ResumeJob() => throw Unsupported("resumed");
    public override void ResumeJobAsync() => OnResumeJobCompleted(new AsyncCompletedEventArgs(Unsupported("resumed"), false, null));
    public override void UnblockJob() => throw Unsupported("unblocked");
    public override void UnblockJobAsync() => OnUnblockJobCompleted(new AsyncCompletedEventArgs(Unsupported("unblocked"), false, null));

    public override string ToString() => TaskId;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            IDisposable? follow;
            lock (_gate)
            {
                _isDisposed = true;
                (follow, _follow) = (_follow, null);
            }
            follow?.Dispose();
        }
        base.Dispose(disposing);
    }

    private static NotSupportedException Unsupported(string what) =>
        new($"A Claude task cannot be {what}. Stop it with Stop-ClaudeTask and start a new one with Start-ClaudeTask -Resume to continue its session.");
}
