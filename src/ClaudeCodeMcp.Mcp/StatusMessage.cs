using ClaudeCodeMcp.Engine;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// One or two sentences for the model: what happened to a task and what to call next; for a worktree task, also where
/// its work is (<see cref="WorktreeMessage"/>).
/// </summary>
internal static class StatusMessage
{
    public static string For(ClaudeTaskRecord task, bool resultTruncated) => Of(task, resultTruncated) + WorktreeMessage.For(task);

    /// <summary>The message of a record in a list: short, since the list says what to do next.</summary>
    public static string Brief(ClaudeTaskRecord task, bool resultTruncated) => BriefOf(task, resultTruncated) + WorktreeMessage.Brief(task);

    private static string Of(ClaudeTaskRecord task, bool resultTruncated)
    {
        var id = task.Id;
        var cut = resultTruncated ? $" The result was cut; call claude_code_get_output with task_id \"{id}\" to read the whole transcript." : "";
        return task.State switch
        {
            ClaudeTaskState.Queued when task.RetryAt is not null =>
                $"Task {id} is queued, {task.Activity?.Waiting ?? "waiting to run again"}. Call claude_code_wait with task_ids [\"{id}\"] to block until it finishes, or claude_code_cancel to give up.",
            ClaudeTaskState.Queued =>
                $"Task {id} is queued until a slot frees up. Call claude_code_wait with task_ids [\"{id}\"] to block until it finishes, or check back with claude_code_check_result.",
            ClaudeTaskState.Running =>
                $"Task {id} is running ({task.Activity?.Describe() ?? "starting"}). Call claude_code_wait with task_ids [\"{id}\"] to block until it finishes, or claude_code_check_result to look again later.",
            ClaudeTaskState.Completed when task.PermissionDenials.Count > 0 =>
                $"Task {id} completed, but {task.PermissionDenials.Count} tool call(s) were denied ({string.Join(", ", task.PermissionDenials.Select(d => d.ToolName).Distinct())}), so part of the work may not be done; check the result, and retry with the tools allowed (allowed_tools or skip_permissions) if needed.{cut}",
            ClaudeTaskState.Completed =>
                $"Task {id} completed; its final answer is in result.{cut}",
            ClaudeTaskState.Failed when task.Unreadable =>
                $"Task {id} cannot be read: {task.Error}",
            ClaudeTaskState.Failed =>
                $"Task {id} failed: {ToolHints.Words.ErrorOf(task)} Fix the cause and start a new task; claude_code_get_output shows what it did.",
            ClaudeTaskState.Cancelled =>
                $"Task {id} was cancelled.{Resume(task)}",
            ClaudeTaskState.TimedOut =>
                $"Task {id} ran out of time: {task.Error} Start it again with a larger timeout or a smaller task.{Resume(task)}",
            _ => $"Task {id} is {task.State.ToWireName()}.",
        };
    }

    private static string BriefOf(ClaudeTaskRecord task, bool resultTruncated) => task.State switch
    {
        ClaudeTaskState.Completed when task.PermissionDenials.Count > 0 => $"Task {task.Id} completed, but some tool calls were denied.",
        ClaudeTaskState.Completed when resultTruncated => $"Task {task.Id} completed; claude_code_check_result shows the whole result.",
        ClaudeTaskState.Running => $"Task {task.Id} is running.",
        ClaudeTaskState.Failed or ClaudeTaskState.TimedOut => $"Task {task.Id} {task.State.ToWireName().Replace('_', ' ')}; error says why.",
        _ => $"Task {task.Id} {task.State.ToWireName()}.",
    };

    private static string Resume(ClaudeTaskRecord task) =>
        task.SessionId is { } session ? $" To continue its session, start a task with resume_session_id \"{session}\"." : "";
}
