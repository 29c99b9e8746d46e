using System.ComponentModel;
using ClaudeCodeMcp.Engine;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// The seven MCP tools: thin doors onto the engine. Each turns its arguments into one engine call and the
/// answer into a status record. The parameter names are the seed project's, snake_case, unchanged.
/// </summary>
internal sealed class ClaudeTaskTools(ClaudeTaskManager manager, TaskRequests requests)
{
    private const string PromptText = "The task for the child Claude Code session, as you would type it.";
    private const string WorkingDirText = "Absolute folder the child works in (default: the server's current folder).";
    private const string ModelText = "Model alias or name for the child, e.g. 'sonnet' or 'opus' (default: Claude Code's).";
    private const string SkipText = "Skip the child's permission prompts (default true; a denied tool otherwise ends in a permission denial).";
    private const string TimeoutText = "Stop the child after this many seconds (default: no limit).";
    private const string ModeText = "Permission mode: default, acceptEdits, plan, auto, dontAsk or bypassPermissions.";
    private const string AllowedText = "Tools the child may use without asking, e.g. [\"Read\", \"Bash(git log:*)\"].";
    private const string DisallowedText = "Tools the child must not use.";
    private const string TurnsText = "Maximum agent turns for the child.";
    private const string BudgetText = "Maximum spend in USD for the child.";
    private const string ResumeText = "A session_id from an earlier task, to continue that conversation.";
    private const string AppendText = "Text appended to the child's system prompt.";
    private const string NameText = "A short name to find the task by.";

    [McpServerTool(Name = "claude_code_execute_async", Title = "Start a Claude Code task", Destructive = false, OpenWorld = true)]
    [Description("Starts a child Claude Code session in the background and returns its task id at once. "
        + "Use it to run several tasks in parallel; then call claude_code_wait (or claude_code_check_result) for their results.")]
    public CallToolResult ExecuteAsync(
        [Description(PromptText)] string prompt,
        [Description(WorkingDirText)] string? working_dir = null,
        [Description(ModelText)] string? model = null,
        [Description(SkipText)] bool? skip_permissions = null,
        [Description(TimeoutText)] double? timeout = null,
        [Description(ModeText)] string? permission_mode = null,
        [Description(AllowedText)] string[]? allowed_tools = null,
        [Description(DisallowedText)] string[]? disallowed_tools = null,
        [Description(TurnsText)] int? max_turns = null,
        [Description(BudgetText)] double? max_budget_usd = null,
        [Description(ResumeText)] string? resume_session_id = null,
        [Description(AppendText)] string? append_system_prompt = null,
        [Description(NameText)] string? name = null)
    {
        var task = manager.Start(requests.Build(prompt, working_dir, model, skip_permissions, timeout, permission_mode,
            allowed_tools, disallowed_tools, max_turns, max_budget_usd, resume_session_id, append_system_prompt, name));
        var message = $"Task {task.Id} started ({task.State.ToWireName()}). Call claude_code_wait with task_ids [\"{task.Id}\"] "
            + "to block until it finishes, or claude_code_check_result to look at it later.";
        return ToolResults.Make(new StartedTask(task.Id, task.State.ToWireName(), message), ToolJson.Default.StartedTask,
            $"Task ID: {task.Id}\nStatus: {task.State.ToWireName()}\n{message}");
    }

    [McpServerTool(Name = "claude_code_execute", Title = "Run a Claude Code task and wait", Destructive = false, OpenWorld = true)]
    [Description("Runs a child Claude Code session and waits until it ends; returns its final answer. "
        + "Reports progress while it runs; cancelling the call stops the child. For parallel work use claude_code_execute_async.")]
    public async Task<CallToolResult> Execute(
        RequestContext<CallToolRequestParams> context,
        IProgress<ProgressNotificationValue> progress,
        [Description(PromptText)] string prompt,
        [Description(WorkingDirText)] string? working_dir = null,
        [Description(ModelText)] string? model = null,
        [Description(SkipText)] bool? skip_permissions = null,
        [Description(TimeoutText)] double? timeout = null,
        [Description(ModeText)] string? permission_mode = null,
        [Description(AllowedText)] string[]? allowed_tools = null,
        [Description(DisallowedText)] string[]? disallowed_tools = null,
        [Description(TurnsText)] int? max_turns = null,
        [Description(BudgetText)] double? max_budget_usd = null,
        [Description(ResumeText)] string? resume_session_id = null,
        [Description(AppendText)] string? append_system_prompt = null,
        [Description(NameText)] string? name = null,
        CancellationToken cancellationToken = default)
    {
        var task = manager.Start(requests.Build(prompt, working_dir, model, skip_permissions, timeout, permission_mode,
            allowed_tools, disallowed_tools, max_turns, max_budget_usd, resume_session_id, append_system_prompt, name));
        try
        {
            var done = (await ProgressWait.RunAsync(manager, [task.Id], ClaudeWaitMode.All, null, ProgressOf(context, progress), cancellationToken).ConfigureAwait(false))[0];
            var record = StatusRecord.From(done, ToolResults.MaxResultChars);
            var completed = done.State == ClaudeTaskState.Completed;
            var text = completed
                ? $"{record.Result}\n\n(Task ID: {done.Id}; {record.Message})"
                : ToolResults.Describe(record);
            return ToolResults.Make(record, ToolJson.Default.StatusRecord, text, isError: !completed);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await manager.StopAsync(task.Id, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    [McpServerTool(Name = "claude_code_check_result", Title = "Check a task", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Returns a task's status record now, without waiting: status, result or error, activity while running, cost.")]
    public CallToolResult CheckResult([Description("The task id from claude_code_execute_async.")] string task_id) =>
        ToolResults.Status(Require(task_id));

    [McpServerTool(Name = "claude_code_wait", Title = "Wait for tasks", ReadOnly = true, OpenWorld = false)]
    [Description("Blocks until the given tasks finish (return_when 'all') or the first of them does ('any'), or the timeout passes; "
        + "returns their status records. Without task_ids it waits for every unfinished task.")]
    public async Task<CallToolResult> Wait(
        RequestContext<CallToolRequestParams> context,
        IProgress<ProgressNotificationValue> progress,
        [Description("Task ids to wait for (default: all unfinished tasks).")] string[]? task_ids = null,
        [Description("'all' (default) or 'any'.")] string? return_when = null,
        [Description("Seconds to wait at most (default 60, at most 3600).")] double? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var mode = (return_when ?? "all").Trim().ToLowerInvariant() switch
        {
            "all" => ClaudeWaitMode.All,
            "any" => ClaudeWaitMode.Any,
            _ => throw new ClaudeTaskException(ClaudeErrorCode.InvalidArgument, $"return_when must be 'all' or 'any', not '{return_when}'."),
        };
        var seconds = timeout ?? 60;
        if (double.IsNaN(seconds) || seconds < 0 || seconds > 3600)
            throw new ClaudeTaskException(ClaudeErrorCode.InvalidArgument, "timeout is in seconds, from 0 to 3600.");
        var ids = task_ids is { Length: > 0 }
            ? task_ids
            : manager.List().Where(t => !t.IsFinished).Select(t => t.Id).ToArray();
        if (ids.Length == 0) return ToolResults.List([], "There are no unfinished tasks to wait for.");
        var records = await ProgressWait.RunAsync(manager, ids, mode, TimeSpan.FromSeconds(seconds), ProgressOf(context, progress), cancellationToken).ConfigureAwait(false);
        var finished = records.Count(r => r.IsFinished);
        var message = finished == records.Count
            ? $"All {records.Count} task(s) have finished; each record says how."
            : mode == ClaudeWaitMode.Any && finished > 0
                ? $"{finished} of {records.Count} task(s) finished; call claude_code_wait again for the others."
                : $"The wait timed out after {seconds} s with {records.Count - finished} of {records.Count} task(s) still unfinished; call claude_code_wait again to keep waiting.";
        return ToolResults.List(records, message);
    }

    [McpServerTool(Name = "claude_code_list_tasks", Title = "List tasks", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Lists tasks, newest first, optionally only those in one status.")]
    public CallToolResult ListTasks(
        [Description("Only tasks in this status: queued, running, completed, failed, cancelled or timed_out.")] string? status = null,
        [Description("At most this many tasks (default 50, at most 200).")] int? limit = null)
    {
        var max = limit ?? 50;
        if (max is < 1 or > 200) throw new ClaudeTaskException(ClaudeErrorCode.InvalidArgument, "limit must be from 1 to 200.");
        IEnumerable<ClaudeTaskRecord> tasks = manager.List();
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

    [McpServerTool(Name = "claude_code_cancel", Title = "Cancel a task", Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Stops a task and its child's whole process tree; returns its record, now cancelled (or how it had already ended).")]
    public async Task<CallToolResult> Cancel(
        [Description("The task id to stop.")] string task_id,
        CancellationToken cancellationToken = default) =>
        ToolResults.Status(await manager.StopAsync(task_id, cancellationToken).ConfigureAwait(false));

    [McpServerTool(Name = "claude_code_get_output", Title = "Read a task's transcript", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Returns a page of a task's transcript as readable text (assistant text, tool calls, short tool results, the result). "
        + "Pass next_offset as offset to read on.")]
    public CallToolResult GetOutput(
        [Description("The task id.")] string task_id,
        [Description("Character offset to start at (default 0).")] long? offset = null,
        [Description("Characters to return at most (default 20000, at most 30000).")] int? max_chars = null)
    {
        var max = max_chars ?? 20_000;
        if (max is < 1 or > 30_000) throw new ClaudeTaskException(ClaudeErrorCode.InvalidArgument, "max_chars must be from 1 to 30000.");
        var task = Require(task_id);
        var page = manager.ReadTranscript(task.Id, offset ?? 0, max);
        var message = page.NextOffset is { } next
            ? $"More follows: call claude_code_get_output with task_id \"{task.Id}\" and offset {next}."
            : page.Text.Length == 0 && !task.IsFinished ? "Nothing yet; the task has not printed anything." : "That is the end of the transcript so far.";
        return ToolResults.Make(new OutputPage(task.Id, task.State.ToWireName(), page.Text, page.Offset, page.NextOffset, message),
            ToolJson.Default.OutputPage, page.Text.Length == 0 ? message : $"{page.Text}\n\n{message}");
    }

    /// <summary>The progress sink, or null when the client sent no progress token (nothing would be sent).</summary>
    private static IProgress<ProgressNotificationValue>? ProgressOf(RequestContext<CallToolRequestParams> context, IProgress<ProgressNotificationValue> progress) =>
        context.Params?.ProgressToken is null ? null : progress;

    private ClaudeTaskRecord Require(string taskId) => manager.Get(taskId)
        ?? throw new ClaudeTaskException(ClaudeErrorCode.TaskNotFound,
            $"There is no task {taskId.Trim()}. Call claude_code_list_tasks to see the tasks there are.");
}
