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
}
