namespace ClaudeCodeMcp.Engine;

/// <summary>
/// The caps that keep one task, or one caller, from taking the machine: each is refused (or, for a child's output,
/// stopped) with an error that says the limit and what to do, never cut silently.
/// </summary>
public static class TaskLimits
{
    /// <summary>A prompt is kept in memory while queued and written to the store: 1 MiB (UTF-8) is far beyond any real prompt.</summary>
    public const int MaxPromptBytes = 1024 * 1024;

    /// <summary>A name is for finding a task in a list; 200 characters keep every record small.</summary>
    public const int MaxNameChars = 200;

    /// <summary>Tasks one engine holds queued at once: 1,000 prompts of up to 1 MiB is the most memory a queue takes.</summary>
    public const int MaxQueuedTasks = 1000;

    /// <summary>A child's stream log: 1 GiB is hours of a busy session; past it the child is stopped and fails.</summary>
    public const long MaxStreamLogBytes = 1L << 30;

    /// <summary>
    /// The longest single argument the child can be given: Linux refuses one of 128 KiB or more (MAX_ARG_STRLEN, with its
    /// NUL), and the start would fail with an obscure error.
    /// </summary>
    public const int MaxArgumentBytes = 128 * 1024 - 1;
}
