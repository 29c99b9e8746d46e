using ClaudeCodeMcp.Engine.Store;
using ClaudeCodeMcp.Engine.Streaming;

namespace ClaudeCodeMcp.Engine.Runs;

/// <summary>
/// Drains a child's stdout and stderr, so it never blocks on a full pipe: stdout line by line into the task's
/// stream.jsonl and to a line handler; stderr into a tail kept for the verdict and into stderr.log, which is made only
/// when the child first writes there (most never do: one file fewer per task). A log that cannot be written (disk
/// full, task removed) is noted in <see cref="LogFailed"/>, never fatal.
/// </summary>
internal sealed class ChildOutput
{
    /// <summary>A longer stdout line still reaches the log whole, but not the line handler.</summary>
    public const int MaxLineBytes = 16 * 1024 * 1024;

    private readonly TaskStore _store;
    private readonly string _id;
    private readonly Stream _streamLog;
    private readonly TailBuffer _stderrTail = new(4 * 1024);
    private LineSplitter? _stdout;
    private Task _stdoutPump = Task.CompletedTask;
    private Task _stderrPump = Task.CompletedTask;
    private long _oversizeLines;
    private volatile bool _logFailed;

    /// <summary>
    /// Opens the stream log; before the child starts, so a store that cannot take it fails the start. Past
    /// <paramref name="maxLogBytes"/> the log takes no more and <paramref name="logFull"/> runs once.
    /// With <paramref name="append"/> (a task's later run), the log is written on after the earlier runs' lines.
    /// </summary>
    public ChildOutput(TaskStore store, string id, long maxLogBytes = TaskLimits.MaxStreamLogBytes, Action? logFull = null, bool append = false)
    {
        _store = store;
        _id = id;
        var log = append ? store.AppendLog(store.StreamLogPath(id)) : store.CreateLog(store.StreamLogPath(id));
        _streamLog = new CappedLog(log, Math.Max(0, maxLogBytes - (append ? log.Length : 0)), logFull ?? (() => { }));
    }

    /// <summary>True when part of the output could not be saved.</summary>
    public bool LogFailed => _logFailed || _stdout is { LogFailed: true };

    /// <summary>Stdout lines too long to be handled (they are in the log).</summary>
    public long OversizeLines => Interlocked.Read(ref _oversizeLines);

    /// <summary>The last few KB the child wrote on stderr.</summary>
    public string StderrTail => _stderrTail.ToString();

    /// <summary>Completes when stdout has been read to its end.</summary>
    public Task StdoutClosed => _stdoutPump;

    /// <summary>Completes when both pipes have closed (a grandchild may hold them open long after the child exits).</summary>
    public Task Closed => Task.WhenAll(_stdoutPump, _stderrPump);

    /// <summary>Starts draining both streams; <paramref name="onLine"/> gets each stdout line, on the pump's thread.</summary>
    public void Start(Stream stdout, Stream stderr, Action<ReadOnlyMemory<byte>> onLine)
    {
        _stdout = new LineSplitter(onLine, _ => Interlocked.Increment(ref _oversizeLines), MaxLineBytes);
        _stdoutPump = _stdout.PumpAsync(stdout, _streamLog, CancellationToken.None);
        _stderrPump = PumpStderrAsync(stderr);
    }

    /// <summary>Closes the stream log once its pump has ended (at once when it has; else when the pipe closes).</summary>
    public async Task CloseLogAsync()
    {
        if (!_stdoutPump.IsCompleted)
        {
            // A grandchild still holds the pipe: the read ends with the pipe, and the log closes after it.
            _ = _stdoutPump.ContinueWith(_ => CloseQuietly(_streamLog), TaskScheduler.Default);
            return;
        }
        try
        {
            await _streamLog.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            _logFailed = true;
        }
    }

    private async Task PumpStderrAsync(Stream source)
    {
        var buffer = new byte[4096];
        FileStream? log = null;
        var logging = true;
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                _stderrTail.Append(buffer.AsSpan(0, read));
                if (!logging) continue;
                try
                {
                    log ??= _store.CreateLog(_store.StderrLogPath(_id));
                    await log.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ClaudeTaskException)
                {
                    logging = false; // disk full or task removed: keep draining the pipe so the child never blocks
                    _logFailed = true;
                }
            }
        }
        finally
        {
            if (log is not null) CloseQuietly(log);
        }
    }

    private void CloseQuietly(Stream log)
    {
        try
        {
            log.Dispose();
        }
        catch (IOException)
        {
            _logFailed = true;
        }
    }
}
