using ClaudeCodeMcp.Engine.Store;
using ClaudeCodeMcp.Engine.Streaming;

namespace ClaudeCodeMcp.Engine.Runs;

/// <summary>
/// What a child has told so far, from its stdout lines: its session and model, its activity (turns, current tool,
/// last text), its result line, and any plain text it printed. Activity and the time of the last stdout line reach the
/// record at most every 50 ms (the last change when the interval ends), so a child printing thousands of events a
/// second costs a few record copies, not thousands; the record reaches the disk at most once a second.
/// </summary>
internal sealed class ActivityTracker
{
    private readonly RunRecordWriter _record;
    private readonly RateLimitedAction _publish;
    private readonly TaskCompletionSource _resultSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TailBuffer _plainOutput = new(1024);
    private ClaudeTaskActivity _activity = new();
    private ResultEvent? _result;
    private string? _lastMessageId;
    private long _lastRetryDelayMs = -1; // the last api_retry event's retry_delay_ms; -1 before one
    private long _lastOutputTicks; // UTC ticks of the last stdout line; 0 before the first
    private int _activityChanged; // 1 when the activity changed since it was last published

    public ActivityTracker(RunRecordWriter record)
    {
        _record = record;
        _publish = new RateLimitedAction(TimeSpan.FromMilliseconds(50), Publish);
    }

    /// <summary>The child's result line, once it printed one.</summary>
    public ResultEvent? Result => Volatile.Read(ref _result);

    /// <summary>Completes when the result line arrives (the child may linger after it).</summary>
    public Task ResultSeen => _resultSeen.Task;

    /// <summary>The wait the CLI's last <c>api_retry</c> event announced (the API's retry-after, or the CLI's backoff); null without one.</summary>
    public TimeSpan? LastApiRetryDelay => Volatile.Read(ref _lastRetryDelayMs) is var ms and >= 0 ? TimeSpan.FromMilliseconds(ms) : null;

    /// <summary>Lines that were not JSON: the CLI printing a plain-text error (e.g. a usage limit).</summary>
    public string PlainOutput => _plainOutput.ToString();

    /// <summary>When the child last printed a line on stdout; null before its first.</summary>
    public DateTimeOffset? LastOutputAt => Volatile.Read(ref _lastOutputTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Takes one stdout line; called on the stdout pump's thread.</summary>
    public void OnLine(ReadOnlyMemory<byte> line)
    {
        Volatile.Write(ref _lastOutputTicks, DateTime.UtcNow.Ticks);
        _publish.Request(); // last_output_at reaches the record with the next publication, within 50 ms
        switch (StreamEventParser.Parse(line))
        {
            case InitEvent init:
                _record.Update(r => r with { SessionId = init.SessionId ?? r.SessionId, Model = init.Model ?? r.Model }, notify: false, persist: false);
                _record.RequestPersist(); // a short task's final record carries it; a long one's within a second
                break;
            case AssistantEvent assistant:
                OnAssistant(assistant);
                break;
            case ToolResultEvent:
                Change(a => a with { CurrentTool = null });
                break;
            case ApiRetryEvent { RetryDelayMs: { } delay }:
                Volatile.Write(ref _lastRetryDelayMs, delay); // the wait the API asked for, as the CLI read it
                break;
            case ResultEvent result:
                Volatile.Write(ref _result, result);
                _resultSeen.TrySetResult();
                break;
            case UnknownEvent { Type: null }:
                _plainOutput.Append(line.Span); // not JSON: the CLI printing a plain-text error (e.g. a usage limit)
                _plainOutput.Append("\n"u8);
                break;
        }
    }

    /// <summary>The activity for the final record: null when the child never got to a turn, else without a current tool.</summary>
    public ClaudeTaskActivity? Final(ClaudeTaskActivity? published)
    {
        var activity = Volatile.Read(ref _activity);
        if (published is null && activity.Turns == 0) return null;
        return activity with
        {
            CurrentTool = null,
            LastText = activity.LastText is { } text ? TaskStore.Preview(text) : null,
            LastEventAt = published?.LastEventAt,
        };
    }

    /// <summary>No more publishing: the record is final.</summary>
    public void Stop() => _publish.Dispose();

    private void OnAssistant(AssistantEvent assistant)
    {
        var newTurn = assistant.MessageId is null || assistant.MessageId != _lastMessageId;
        _lastMessageId = assistant.MessageId;
        var text = assistant.Texts.LastOrDefault(t => !string.IsNullOrWhiteSpace(t));
        Change(a => a with
        {
            Turns = a.Turns + (newTurn && !assistant.InSubagent ? 1 : 0),
            CurrentTool = assistant.ToolNames.Count > 0 ? assistant.ToolNames[^1] : a.CurrentTool,
            LastText = text ?? a.LastText,
        });
    }

    private void Change(Func<ClaudeTaskActivity, ClaudeTaskActivity> change)
    {
        Volatile.Write(ref _activity, change(Volatile.Read(ref _activity)));
        Volatile.Write(ref _activityChanged, 1);
        _publish.Request();
    }

    /// <summary>Puts the latest activity into the record; the record reaches the disk at most once a second.</summary>
    private void Publish()
    {
        var changed = Interlocked.Exchange(ref _activityChanged, 0) == 1;
        var activity = Volatile.Read(ref _activity);
        var lastOutputAt = LastOutputAt;
        _record.Update(r => r with
        {
            LastOutputAt = lastOutputAt ?? r.LastOutputAt,
            Activity = !changed ? r.Activity : activity with
            {
                LastText = activity.LastText is null ? null : TaskStore.Preview(activity.LastText),
                LastEventAt = DateTimeOffset.UtcNow,
            },
        }, notify: false, persist: false);
        _record.RequestPersist();
    }
}
