using System.Text;
using ClaudeCodeMcp.Engine.Streaming;

namespace ClaudeCodeMcp.Engine.Transcript;

/// <summary>
/// Pages of a task's readable transcript (<see cref="TranscriptText"/>), read from its stream-json log through
/// the engine's one parser. Offsets count characters of that text, so pages of a finished task are stable.
/// The log is read only as far as the page needs; only the page is kept.
/// </summary>
public static class TranscriptReader
{
    public static TranscriptPage ReadPage(string streamLogPath, long offset, int maxChars)
    {
        if (offset < 0) throw new ClaudeTaskException(ClaudeErrorCode.InvalidArgument, "The offset must be 0 or more.");
        if (maxChars < 1) throw new ClaudeTaskException(ClaudeErrorCode.InvalidArgument, "max_chars must be at least 1.");
        var page = new StringBuilder();
        long position = 0;
        var more = false;
        foreach (var streamEvent in StreamLog.ReadEvents(streamLogPath, EventDetail.Transcript))
        {
            var text = TranscriptText.Render(streamEvent);
            if (text is null) continue;
            var end = position + text.Length;
            if (end > offset)
            {
                if (page.Length >= maxChars)
                {
                    more = true;
                    break;
                }
                var from = (int)Math.Max(0, offset - position);
                var take = Math.Min(text.Length - from, maxChars - page.Length);
                page.Append(text, from, take);
                if (from + take < text.Length)
                {
                    more = true;
                    break;
                }
            }
            position = end;
        }
        var next = more ? offset + page.Length : (long?)null;
        return new TranscriptPage(page.ToString(), offset, next);
    }
}
