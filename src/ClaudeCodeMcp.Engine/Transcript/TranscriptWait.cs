using System.Diagnostics;

namespace ClaudeCodeMcp.Engine.Transcript;

/// <summary>
/// A long poll on a task's transcript: the page past an offset as soon as there is one, else when the task ends or
/// the wait is over (an empty page). The log's size is looked at every <see cref="Poll"/>, so a task of another
/// process is followed as one of this process is, and the transcript is read again only when the log grew.
/// </summary>
internal static class TranscriptWait
{
    internal static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>The page of <see cref="TranscriptReader.ReadPage"/>, once it has text, the task has ended or the wait is over.</summary>
    /// <param name="current">The task as it is now; null once it is removed.</param>
    /// <param name="logPath">The task's stream log.</param>
    /// <param name="offset">Where the page starts, in characters of the transcript.</param>
    /// <param name="maxChars">The most characters the page holds.</param>
    /// <param name="wait">How long to wait at most for text past <paramref name="offset"/>.</param>
    /// <param name="cancellationToken">Ends the wait (the caller went away).</param>
    public static async Task<TranscriptPage> ReadAsync(Func<ClaudeTaskRecord?> current, string logPath, long offset, int maxChars,
        TimeSpan wait, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var size = Size(logPath);
            var page = TranscriptReader.ReadPage(logPath, offset, maxChars);
            if (page.Text.Length > 0 || clock.Elapsed >= wait || current() is not { IsFinished: false }) return page;
            while (clock.Elapsed < wait && Size(logPath) == size && current() is { IsFinished: false })
            {
                var left = wait - clock.Elapsed;
                await Task.Delay(left < Poll ? left : Poll, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static long Size(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? info.Length : -1;
    }
}
