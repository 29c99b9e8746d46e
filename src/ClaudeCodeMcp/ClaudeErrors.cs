using System.Management.Automation;
using ClaudeCodeMcp.Engine;

namespace ClaudeCodeMcp;

/// <summary>
/// Every error the module reports: an id naming the cause (PowerShell appends the command to make the
/// FullyQualifiedErrorId, e.g. <c>ClaudeNotFound,ClaudeCodeMcp.Commands.StartClaudeTaskCommand</c>), a category,
/// and the engine's message with its remedy in the module's words (<see cref="PowerShellHints"/>).
/// </summary>
internal static class ClaudeErrors
{
    public static ErrorRecord From(ClaudeTaskException e, object? target) =>
        new(e, e.Code.ToString(), Category(e.Code), target ?? e.TaskId)
        {
            ErrorDetails = e.Hint == ClaudeHint.None ? null : new ErrorDetails(PowerShellHints.Words.Explain(e)),
        };

    public static ErrorCategory Category(ClaudeErrorCode code) => code switch
    {
        ClaudeErrorCode.ClaudeNotFound => ErrorCategory.ObjectNotFound,
        ClaudeErrorCode.WorkingDirectoryNotFound => ErrorCategory.ObjectNotFound,
        ClaudeErrorCode.TaskNotFound => ErrorCategory.ObjectNotFound,
        ClaudeErrorCode.EmptyPrompt => ErrorCategory.InvalidArgument,
        ClaudeErrorCode.InvalidArgument => ErrorCategory.InvalidArgument,
        ClaudeErrorCode.InvalidTaskId => ErrorCategory.InvalidArgument,
        ClaudeErrorCode.TaskStillRunning => ErrorCategory.ResourceBusy,
        ClaudeErrorCode.StateDirectoryUnavailable => ErrorCategory.ResourceUnavailable,
        ClaudeErrorCode.StartFailed => ErrorCategory.OpenError,
        ClaudeErrorCode.NestingLimitReached => ErrorCategory.LimitsExceeded,
        ClaudeErrorCode.NotAGitRepository => ErrorCategory.InvalidArgument,
        ClaudeErrorCode.UnknownBaseRef => ErrorCategory.ObjectNotFound,
        ClaudeErrorCode.WorktreeFailed => ErrorCategory.OpenError,
        ClaudeErrorCode.UncommittedWork => ErrorCategory.ResourceBusy,
        ClaudeErrorCode.QueueFull => ErrorCategory.LimitsExceeded,
        ClaudeErrorCode.BudgetExhausted => ErrorCategory.QuotaExceeded,
        ClaudeErrorCode.ShuttingDown => ErrorCategory.ResourceUnavailable,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>A task that ended without completing: failed, timed out or stopped, with the engine's reason.</summary>
    public static ErrorRecord TaskEnded(ClaudeTaskRecord record, object? target)
    {
        var (id, category) = record.State switch
        {
            ClaudeTaskState.TimedOut => ("TaskTimedOut", ErrorCategory.OperationTimeout),
            ClaudeTaskState.Cancelled => ("TaskStopped", ErrorCategory.OperationStopped),
            _ => ("TaskFailed", ErrorCategory.InvalidResult),
        };
        var reason = PowerShellHints.Words.ErrorOf(record) ?? "The task did not complete.";
        var message = $"Task {record.Id}{(record.Name is null ? "" : $" ({record.Name})")} {record.State.ToWireName()}: {reason}";
        return new ErrorRecord(new ClaudeTaskFailedException(message), id, category, target ?? record.Id);
    }

    /// <summary>A task that is not finished where a finished one is needed.</summary>
    public static ErrorRecord NotFinished(ClaudeTaskRecord record, object? target) =>
        new(new InvalidOperationException(
                $"Task {record.Id} is still {record.State.ToWireName()}. Wait for it with Wait-ClaudeTask (or use -Wait), or stop it with Stop-ClaudeTask."),
            "TaskNotFinished", ErrorCategory.ResourceBusy, target ?? record.Id);

    public static ErrorRecord NameNotFound(string name, string root) =>
        new(new ItemNotFoundException($"There is no task named '{name}' in '{root}'. Run Get-ClaudeTask to see which exist."),
            "TaskNotFound", ErrorCategory.ObjectNotFound, name);

    /// <summary>What to warn of when a finished task's child was refused tools: null when it was refused none.</summary>
    public static string? DenialWarning(ClaudeTaskRecord record)
    {
        var tools = ToolList.DeniedIn(record);
        if (tools.Count == 0) return null;
        var who = record.Name is null ? $"Task {record.Id}" : $"Task {record.Id} ({record.Name})";
        var (what, them) = tools.Count == 1 ? ("the tool", "it") : ("these tools", "them");
        return $"{who} ended {record.State.ToWireName()}, but its child was refused {what}: {string.Join(", ", tools)}. "
               + $"What it needed {them} for was not done. Allow {them} with -AllowedTools, -PermissionMode acceptEdits or -SkipPermissions, and run it again.";
    }

    public static ErrorRecord JobNotFound(int id) =>
        new(new ItemNotFoundException($"This session has no task with job id {id}. -Id takes the Id column of Get-ClaudeTask and Get-Job; for a task's own id (such as k7m2p9qx) use -TaskId."),
            "JobNotFound", ErrorCategory.ObjectNotFound, id);
}

/// <summary>The exception of a task's failure record: its message is the engine's reason.</summary>
public sealed class ClaudeTaskFailedException(string message) : Exception(message);
