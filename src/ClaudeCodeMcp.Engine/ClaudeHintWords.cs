namespace ClaudeCodeMcp.Engine;

/// <summary>
/// A door's vocabulary for <see cref="ClaudeHint"/>: one sentence per hint, naming the door's own parameter,
/// argument or flag. Every message a door shows of an engine error or a task's end goes through it.
/// </summary>
public abstract class ClaudeHintWords
{
    /// <summary>The sentence that tells the user what to do, in this door's words.</summary>
    public abstract string Sentence(ClaudeHint hint);

    /// <summary>The error's message followed by its remedy in this door's words.</summary>
    public string Describe(ClaudeTaskException error) => Join(error.Message, error.Hint);

    /// <summary>Why the task did not complete, followed by its remedy in this door's words; null when it completed.</summary>
    public string? ErrorOf(ClaudeTaskRecord record) => record.Error is null ? null : Join(record.Error, record.Hint);

    private string Join(string message, ClaudeHint hint) =>
        hint == ClaudeHint.None ? message : $"{message.TrimEnd()} {Sentence(hint)}";
}
