using System.Diagnostics;
using ClaudeCodeMcp.Engine.Runs;
using Xunit;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

/// <summary>
/// A final record the state folder refuses is tried again a few times, not forever: the retry gives up after its
/// bound with a logged error, and stops when the manager is disposed.
/// </summary>
public sealed class RunRecordWriterTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);
    private static readonly FinalWriteRetry Quick = new(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(4));

    [Fact]
    public async Task A_final_record_the_folder_keeps_refusing_is_given_up_after_the_bound_with_a_logged_error()
    {
        var store = new RefusingStore();
        var writer = new RunRecordWriter(Record(), store.Write, (_, _) => { }, Quick, CancellationToken.None);
        using var log = new TraceCapture();

        writer.Update(Finished, notify: true, final: true);
        var settled = await writer.Settled.WaitAsync(Hang);

        Assert.False(settled);
        Assert.Equal(1 + Quick.Attempts, store.Attempts); // the first write and three retries, then no more
        Assert.Contains(log.Messages, m => m.Contains(writer.Current.Id) && m.Contains("could not be written after 4 attempts"));
    }

    [Fact]
    public async Task A_final_record_written_on_a_retry_settles_the_task()
    {
        var store = new RefusingStore { RefuseFirst = 2 };
        var writer = new RunRecordWriter(Record(), store.Write, (_, _) => { }, Quick, CancellationToken.None);

        writer.Update(Finished, notify: true, final: true);

        Assert.True(await writer.Settled.WaitAsync(Hang));
        Assert.Equal(3, store.Attempts);
        Assert.Equal(ClaudeTaskState.Completed, store.Written?.State);
    }

    [Fact]
    public async Task The_retry_of_a_final_record_stops_when_the_manager_is_disposed()
    {
        var store = new RefusingStore();
        using var disposing = new CancellationTokenSource();
        var slow = new FinalWriteRetry(3, TimeSpan.FromHours(1), TimeSpan.FromHours(1));
        var writer = new RunRecordWriter(Record(), store.Write, (_, _) => { }, slow, disposing.Token);
        writer.Update(Finished, notify: true, final: true);
        Assert.False(writer.Settled.IsCompleted); // waiting to try again

        disposing.Cancel();

        Assert.False(await writer.Settled.WaitAsync(Hang));
        Assert.Equal(1, store.Attempts);
    }

    [Fact]
    public async Task Nothing_changes_the_record_after_the_final_write()
    {
        var store = new RefusingStore { RefuseFirst = 0 };
        var changes = 0;
        var writer = new RunRecordWriter(Record(), store.Write, (_, _) => changes++, Quick, CancellationToken.None);

        writer.Update(Finished, notify: true, final: true);
        writer.Update(r => r with { State = ClaudeTaskState.Failed }, notify: true, final: true);

        Assert.True(await writer.Settled.WaitAsync(Hang));
        Assert.Equal(ClaudeTaskState.Completed, writer.Current.State);
        Assert.Equal(1, store.Attempts);
        Assert.Equal(1, changes);
    }

    [Fact]
    public void The_backoff_doubles_up_to_its_ceiling()
    {
        var retry = new FinalWriteRetry(6, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500));

        var delays = Enumerable.Range(1, 6).Select(a => retry.DelayBefore(a).TotalMilliseconds);

        Assert.Equal([100, 200, 400, 500, 500, 500], delays);
    }

    private static ClaudeTaskRecord Finished(ClaudeTaskRecord r) =>
        r with { State = ClaudeTaskState.Completed, Result = "done", EndedAt = DateTimeOffset.UtcNow };

    private static ClaudeTaskRecord Record() => new()
    {
        Id = Store.TaskId.New(),
        State = ClaudeTaskState.Running,
        PromptPreview = "p",
        WorkingDirectory = "/",
        CreatedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>A state folder that refuses writes (full, read-only): the first <see cref="RefuseFirst"/>, or all.</summary>
    private sealed class RefusingStore
    {
        private int _attempts;

        public int RefuseFirst { get; init; } = int.MaxValue;
        public int Attempts => Volatile.Read(ref _attempts);
        public ClaudeTaskRecord? Written { get; private set; }

        public void Write(ClaudeTaskRecord record, bool notify)
        {
            if (Interlocked.Increment(ref _attempts) <= RefuseFirst)
                throw new ClaudeTaskException(ClaudeErrorCode.StateDirectoryUnavailable, "No space left on device.");
            Written = record;
        }
    }

    /// <summary>Collects what the engine logs through <see cref="Trace"/> while it is alive.</summary>
    private sealed class TraceCapture : TraceListener
    {
        private readonly List<string> _messages = [];

        public TraceCapture() => Trace.Listeners.Add(this);

        public IReadOnlyList<string> Messages
        {
            get
            {
                lock (_messages) return [.. _messages];
            }
        }

        public override void Write(string? message) => Add(message);

        public override void WriteLine(string? message) => Add(message);

        private void Add(string? message)
        {
            if (message is not null) lock (_messages) _messages.Add(message);
        }

        protected override void Dispose(bool disposing)
        {
            Trace.Listeners.Remove(this);
            base.Dispose(disposing);
        }
    }
}
