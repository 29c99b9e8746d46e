using System.Text.Json;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Options;
using ClaudeCodeMcp.Engine.Transcript;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// The eight MCP tools: thin doors onto the engine. Each turns its arguments into one engine call and the
/// answer into a status record. The parameter names are the seed project's, snake_case, unchanged. Each tool is one
/// declaration (<see cref="TaskTool"/>): its parameters are declared once and give its input schema, the check of a
/// call and the reading of its arguments, so nothing is derived by reflection at start.
/// </summary>
internal sealed class ClaudeTaskTools(ClaudeTaskManager manager, TaskRequests requests)
{
    private static readonly ToolParameter TaskId = new("task_id", ParameterType.String, "The task id.", Required: true);
    private static readonly ToolParameter CheckedTaskId = TaskId with { Description = "The task id from claude_code_execute_async." };
    private static readonly ToolParameter CancelledTaskId = TaskId with { Description = "The task id to stop." };
    private static readonly ToolParameter RemovedTaskId = TaskId with { Description = "The task id to forget." };
    private static readonly ToolParameter Force = new("force", ParameterType.Boolean,
        "Remove anyway (default false): a running task is stopped first, and uncommitted changes in its worktree are discarded.");
    private static readonly ToolParameter TaskIds = new("task_ids", ParameterType.StringArray, "Task ids to wait for (default: all unfinished tasks).");
    private static readonly ToolParameter ReturnWhen = new("return_when", ParameterType.String, "'all' (default) or 'any'.");
    // The limits of reading and waiting are this door's own (a tool call must not block for hours, nor answer with
    // more than a client keeps); each is declared once, as a rule that gives the schema, the check and the description.
    private static readonly ToolParameter WaitTimeout = ToolParameter.Limited("timeout", ParameterType.Number, new TaskOptionRule
    {
        Summary = "Seconds to wait at most (default 60).", Minimum = 0, Maximum = 3600, Unit = "seconds", MaximumInWords = "1 hour",
    });
    private static readonly ToolParameter Status =
        new("status", ParameterType.String, "Only tasks in this status: queued, running, completed, failed, cancelled or timed_out.");
    private static readonly ToolParameter Limit = ToolParameter.Limited("limit", ParameterType.Integer, new TaskOptionRule
    {
        Summary = "At most this many tasks (default 50).", Minimum = 1, Maximum = 200,
    });
    private static readonly ToolParameter Offset = ToolParameter.Limited("offset", ParameterType.Integer, new TaskOptionRule
    {
        Summary = "Character offset to start at (default 0).", Minimum = 0,
    });
    private static readonly ToolParameter MaxChars = ToolParameter.Limited("max_chars", ParameterType.Integer, new TaskOptionRule
    {
        Summary = "Characters to return at most (default 20000).", Minimum = 1, Maximum = 30_000,
    });
    private static readonly ToolParameter WaitSeconds = ToolParameter.Limited("wait_seconds", ParameterType.Integer, new TaskOptionRule
    {
        Summary = "Seconds to wait for output past offset when there is none yet (default 0: answer at once); "
            + "the call returns as soon as the task prints something or ends.",
        Minimum = 0, Maximum = 60, Unit = "seconds", MaximumInWords = "1 minute",
    });

    public IReadOnlyList<McpServerTool> Create() =>
    [
        new TaskTool("claude_code_execute_async", "Start a Claude Code task",
            "Starts a child Claude Code session in the background and returns its task id at once. "
            + "Use it to run several tasks in parallel; then call claude_code_wait (or claude_code_check_result) for their results.",
            new() { DestructiveHint = false, OpenWorldHint = true }, TaskRequests.Parameters, StartedTask.Shape.Schema,
            (call, _) => ValueTask.FromResult(StartInBackground(call.Arguments))),
        new TaskTool("claude_code_execute", "Run a Claude Code task and wait",
            "Runs a child Claude Code session and waits until it ends; returns its final answer. "
            + "Reports progress while it runs; cancelling the call stops the child. For parallel work use claude_code_execute_async.",
            new() { DestructiveHint = false, OpenWorldHint = true }, TaskRequests.Parameters, StatusRecord.Shape.Schema,
            (call, ct) => new ValueTask<CallToolResult>(ExecuteAsync(call, ct))) { WaitsForTasks = true },
        new TaskTool("claude_code_check_result", "Check a task",
            "Returns a task's status record now, without waiting: status, result or error, activity while running, cost.",
            new() { ReadOnlyHint = true, IdempotentHint = true, OpenWorldHint = false }, [CheckedTaskId], StatusRecord.Shape.Schema,
            (call, _) => ValueTask.FromResult(ToolResults.Status(Require(call.Arguments.RequiredString(CheckedTaskId))))),
        new TaskTool("claude_code_wait", "Wait for tasks",
            "Blocks until the given tasks finish (return_when 'all') or the first of them does ('any'), or the timeout passes; "
            + "returns their status records. Without task_ids it waits for every unfinished task.",
            new() { ReadOnlyHint = true, OpenWorldHint = false }, [TaskIds, ReturnWhen, WaitTimeout], TaskList.Shape.Schema,
            (call, ct) => new ValueTask<CallToolResult>(WaitAsync(call, ct))) { WaitsForTasks = true },
        new TaskTool("claude_code_list_tasks", "List tasks", "Lists tasks, newest first, optionally only those in one status.",
            new() { ReadOnlyHint = true, IdempotentHint = true, OpenWorldHint = false }, [Status, Limit], TaskList.Shape.Schema,
            (call, _) => ValueTask.FromResult(ListTasks(call.Arguments))),
        new TaskTool("claude_code_cancel", "Cancel a task",
            "Stops a task and its child's whole process tree; returns its record, now cancelled (or how it had already ended).",
            new() { DestructiveHint = true, IdempotentHint = true, OpenWorldHint = false }, [CancelledTaskId], StatusRecord.Shape.Schema,
            async (call, ct) => ToolResults.Status(await manager.StopAsync(call.Arguments.RequiredString(CancelledTaskId), ct).ConfigureAwait(false))),
        new TaskTool("claude_code_get_output", "Read a task's transcript",
            "Returns a page of a task's transcript as readable text (assistant text, tool calls, short tool results, the result). "
            + "Pass next_offset as offset to read on; with wait_seconds, the call waits for new output instead of you polling.",
            new() { ReadOnlyHint = true, IdempotentHint = true, OpenWorldHint = false }, [TaskId, Offset, MaxChars, WaitSeconds], OutputPage.Shape.Schema,
            (call, ct) => new ValueTask<CallToolResult>(GetOutputAsync(call.Arguments, ct))),
        new TaskTool("claude_code_remove", "Remove a task",
            "Forgets a finished task: deletes its state and, for a worktree task, its worktree (when nothing there is uncommitted) "
            + "and its branch (when it holds no commits; a branch with commits is kept for you to merge). "
            + "Refuses a running task or uncommitted work unless force is true, which stops the task first and says what it discarded.",
            new() { DestructiveHint = true, IdempotentHint = false, OpenWorldHint = false }, [RemovedTaskId, Force], RemovedTask.Shape.Schema,
            (call, ct) => new ValueTask<CallToolResult>(RemoveAsync(call.Arguments, ct))),
    ];

    /// <summary>claude_code_execute_async: starts the task and answers at once, without waiting for anything.</summary>
    private CallToolResult StartInBackground(ToolArguments arguments)
    {
        var task = manager.Start(requests.Build(arguments));
        var message = $"Task {task.Id} started ({task.State.ToWireName()}). Call claude_code_wait with task_ids [\"{task.Id}\"] "
            + "to block until it finishes, or claude_code_check_result to look at it later.";
        return ToolResults.Make(new StartedTask(task.Id, task.State.ToWireName(), message), StartedTask.Shape,
            $"Task ID: {task.Id}\nStatus: {task.State.ToWireName()}\n{message}");
    }

    /// <summary>claude_code_execute: starts the task and waits for its end, reporting progress; cancelling the call stops it.</summary>
    private async Task<CallToolResult> ExecuteAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var task = manager.Start(requests.Build(call.Arguments));
        try
        {
            var done = (await manager.WaitAsync([task.Id], ClaudeWaitMode.All, null, call.WaitProgress(), cancellationToken).ConfigureAwait(false))[0];
            var record = StatusRecord.From(done, ToolResults.MaxResultChars);
            var completed = done.State == ClaudeTaskState.Completed;
            var text = completed
                ? $"{record.Result}\n\n(Task ID: {done.Id}; {record.Message})"
                : ToolResults.Describe(record);
            return ToolResults.Make(record, StatusRecord.Shape, text, isError: !completed);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await manager.StopAsync(task.Id, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<CallToolResult> WaitAsync(ToolCall call, CancellationToken cancellationToken)
    {
        var returnWhen = call.Arguments.String(ReturnWhen);
        var mode = (returnWhen ?? "all").Trim().ToLowerInvariant() switch
        {
            "all" => ClaudeWaitMode.All,
            "any" => ClaudeWaitMode.Any,
            _ => throw new ClaudeTaskException(ClaudeErrorCode.InvalidArgument, $"return_when must be 'all' or 'any', not '{returnWhen}'."),
        };
        var seconds = call.Arguments.Number(WaitTimeout) ?? 60;
        var ids = call.Arguments.Strings(TaskIds) is { Length: > 0 } given
            ? given
            : manager.List().Where(t => !t.IsFinished).Select(t => t.Id).ToArray();
        if (ids.Length == 0) return ToolResults.List([], "There are no unfinished tasks to wait for.");
        var records = await manager.WaitAsync(ids, mode, TimeSpan.FromSeconds(seconds), call.WaitProgress(), cancellationToken).ConfigureAwait(false);
        var finished = records.Count(r => r.IsFinished);
        var message = finished == records.Count
            ? $"All {records.Count} task(s) have finished; each record says how."
            : mode == ClaudeWaitMode.Any && finished > 0
                ? $"{finished} of {records.Count} task(s) finished; call claude_code_wait again for the others."
                : $"The wait timed out after {seconds} s with {records.Count - finished} of {records.Count} task(s) still unfinished; call claude_code_wait again to keep waiting.";
        return ToolResults.List(records, message);
    }

    private CallToolResult ListTasks(ToolArguments arguments)
    {
        var max = arguments.Int32(Limit) ?? 50;
        IEnumerable<ClaudeTaskRecord> tasks = manager.List();
        var status = arguments.String(Status);
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!ClaudeTaskStateExtensions.TryParseWireName(status, out var state))
            {
                throw new ClaudeTaskException(ClaudeErrorCode.InvalidArgument,
                    $"status '{status}' is not a task status. Use one of: queued, running, completed, failed, cancelled, timed_out.");
            }
            tasks = tasks.Where(t => t.State == state);
        }
        var page = tasks.Take(max).ToList();
        var message = page.Count == 0 ? "No tasks match." : $"{page.Count} task(s), newest first. Call claude_code_check_result for one task's full record.";
        return ToolResults.List(page, message);
    }

    private async Task<CallToolResult> GetOutputAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var max = arguments.Int32(MaxChars) ?? 20_000;
        var task = Require(arguments.RequiredString(TaskId));
        var offset = arguments.Int64(Offset) ?? 0;
        // The task is in hand: read its log straight away rather than look the task up again; after a wait, look again.
        var wait = TimeSpan.FromSeconds(arguments.Int32(WaitSeconds) ?? 0);
        var page = wait == TimeSpan.Zero
            ? manager.ReadTranscript(task, offset, max)
            : await manager.WaitForTranscriptAsync(task, offset, max, wait, cancellationToken).ConfigureAwait(false);
        if (wait > TimeSpan.Zero) task = manager.Get(task.Id) ?? task;
        var message = page.NextOffset is { } next
            ? $"More follows: call claude_code_get_output with task_id \"{task.Id}\" and offset {next}."
            : page.Text.Length == 0 && !task.IsFinished ? NothingYet(task.Id, offset, wait)
            : task.IsFinished ? "That is the end of the transcript: the task has ended."
            : $"That is the end of the transcript so far. For more, call claude_code_get_output with offset {offset + page.Text.Length} and wait_seconds to wait for it.";
        return ToolResults.Make(new OutputPage(task.Id, task.State.ToWireName(), page.Text, page.Offset, page.NextOffset, message),
            OutputPage.Shape, page.Text.Length == 0 ? message : $"{page.Text}\n\n{message}");
    }

    private static string NothingYet(string id, long offset, TimeSpan waited)
    {
        var when = waited > TimeSpan.Zero ? $" in {waited.TotalSeconds:0} s" : " yet";
        var what = offset == 0 ? $"Nothing{when}; the task has not printed anything." : $"Nothing past offset {offset}{when}.";
        return $"{what} It is still running: call claude_code_get_output with task_id \"{id}\", offset {offset} and wait_seconds (up to 60) to wait for more.";
    }

    /// <summary>claude_code_remove: the engine decides what may go and says so; a refusal reaches the client as a tool error.</summary>
    private async Task<CallToolResult> RemoveAsync(ToolArguments arguments, CancellationToken cancellationToken)
    {
        var removal = await manager.RemoveAsync(arguments.RequiredString(RemovedTaskId), arguments.Boolean(Force) ?? false, cancellationToken)
            .ConfigureAwait(false);
        return ToolResults.Make(RemovedTask.From(removal), RemovedTask.Shape, removal.Message);
    }

    private ClaudeTaskRecord Require(string taskId) => manager.Get(taskId)
        ?? throw new ClaudeTaskException(ClaudeErrorCode.TaskNotFound,
            $"There is no task {taskId.Trim()}.") { Hint = ClaudeHint.ListTasks };
}
