namespace ClaudeCodeMcp.Engine;

/// <summary>Stable causes of engine errors; doors map them to error ids and tool messages.</summary>
public enum ClaudeErrorCode
{
    ClaudeNotFound,
    WorkingDirectoryNotFound,
    EmptyPrompt,
    InvalidArgument,
    InvalidTaskId,
    TaskNotFound,
    TaskStillRunning,
    StateDirectoryUnavailable,
    StartFailed,

    /// <summary>The door runs inside a task at the maximum depth and starts no tasks.</summary>
    NestingLimitReached,

    /// <summary>Worktree isolation was asked for in a folder outside any repository's working tree (or in a bare repository).</summary>
    NotAGitRepository,

    /// <summary>The base ref of a worktree names no commit (or the repository has none yet).</summary>
    UnknownBaseRef,

    /// <summary>git could not make or read a task's worktree.</summary>
    WorktreeFailed,

    /// <summary>The engine already holds as many queued tasks as it takes (<see cref="ClaudeEngineOptions.MaxQueuedTasks"/>).</summary>
    QueueFull,

    /// <summary>Removing the task would discard uncommitted work in its worktree.</summary>
    UncommittedWork,

    /// <summary>The tasks of the store started in the last 24 hours have cost the daily budget (<see cref="SpendGuard"/>).</summary>
    BudgetExhausted,

    /// <summary>The manager is shutting down (its process is ending) and starts no more tasks.</summary>
    ShuttingDown,
}
