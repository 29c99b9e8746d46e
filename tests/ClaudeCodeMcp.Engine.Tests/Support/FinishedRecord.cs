using ClaudeCodeMcp.Engine.Store;

namespace ClaudeCodeMcp.Engine.Tests.Support;

/// <summary>A completed task written straight into a store, as a finished run leaves it: tests then damage or list it.</summary>
internal static class FinishedRecord
{
    /// <summary>A completed task whose result is <paramref name="result"/> (and whose prompt is "prompt of" it); its id.</summary>
    public static string Write(TaskStore store, string workingDirectory, string result, DateTimeOffset? startedAt = null, double? costUsd = null)
    {
        Thread.Sleep(2); // distinct creation times, so newest-first is well defined
        var now = startedAt ?? DateTimeOffset.UtcNow;
        return store.Create(id => new ClaudeTaskRecord
        {
            Id = id,
            State = ClaudeTaskState.Completed,
            PromptPreview = "",
            WorkingDirectory = workingDirectory,
            CreatedAt = now,
            StartedAt = now,
            EndedAt = now,
            Result = result,
            NumTurns = 1,
            CostUsd = costUsd,
        }, "prompt of " + result).Id;
    }
}
