using System.Management.Automation;
using System.Text;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Streaming;
using ClaudeCodeMcp.Jobs;

namespace ClaudeCodeMcp.Commands;

/// <summary>
/// Returns a finished task's result object (and its reason as an error when it did not complete), or its
/// readable transcript (<c>-Transcript</c>), or the events of its stream (<c>-Stream</c>). Unlike
/// Receive-Job it reads the store, so it can be asked again, and works on other processes' tasks.
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "ClaudeTask", DefaultParameterSetName = TaskSet)]
[OutputType(typeof(ClaudeTaskResult), typeof(string), typeof(StreamEvent))]
public sealed class ReceiveClaudeTaskCommand : ClaudeTaskTargetCmdlet
{
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Waits for unfinished tasks instead of reporting them as errors, writing what each child says and does to the
    /// information stream as it happens (as Receive-Job -Wait does a job's output); the result object comes at the end.
    /// </summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>Returns the readable transcript: assistant text, tool calls, short tool results.</summary>
    [Parameter]
    public SwitchParameter Transcript { get; set; }

    /// <summary>Returns the child's stream-json events as objects.</summary>
    [Parameter]
    public SwitchParameter Stream { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var job in InputJobs())
        {
            try
            {
                var record = job.Engine.Manager.Get(job.TaskId) ?? job.Record;
                if (!record.IsFinished && Wait)
                {
                    record = Transcript || Stream
                        ? Await(job.Engine.Manager.WaitAsync([job.TaskId], cancellationToken: StopToken))[0]
                        : Follow(job, record);
                }
                job.Apply(record);
                if (Transcript) WriteTranscript(job);
                else if (Stream) WriteStream(job);
                else if (!record.IsFinished) WriteError(ClaudeErrors.NotFinished(record, job));
                else
                {
                    WriteObject(new ClaudeTaskResult(record));
                    if (ClaudeErrors.DenialWarning(record) is { } warning) WriteWarning(warning);
                    if (record.State is ClaudeTaskState.Failed or ClaudeTaskState.TimedOut) WriteError(ClaudeErrors.TaskEnded(record, job));
                }
            }
            catch (ClaudeTaskException e)
            {
                WriteEngineError(e, job);
            }
        }
    }

    /// <summary>Writes the child's transcript as it grows until the task ends; returns its final record.</summary>
    private ClaudeTaskRecord Follow(ClaudeTaskJob job, ClaudeTaskRecord record)
    {
        var live = new LiveTranscript(job.Engine.Manager);
        live.Follow(job.TaskId);
        while (!record.IsFinished)
        {
            live.Pump(this);
            Await(System.Threading.Tasks.Task.Delay(FollowInterval, StopToken));
            record = job.Engine.Manager.Get(job.TaskId) ?? record;
        }
        live.Finish(this, job.TaskId);
        return record;
    }

    /// <summary>The whole transcript as one string, rendered in one pass over the stream log.</summary>
    private void WriteTranscript(ClaudeTaskJob job) =>
        WriteObject(job.Engine.Manager.ReadTranscript(job.TaskId, 0, int.MaxValue).Text);

    private void WriteStream(ClaudeTaskJob job)
    {
        foreach (var streamEvent in job.Engine.Manager.ReadEvents(job.TaskId)) WriteObject(streamEvent);
    }
}
