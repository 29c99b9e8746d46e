using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Options;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// Declares the arguments of claude_code_execute(_async) and turns them into a task spec, applying the server's policy:
/// allowed folders, the refusal of skipped permissions, the default model. The limits of the task options are the
/// engine's (<see cref="TaskOptionRules"/>), checked with the call's other arguments before this runs.
/// </summary>
internal sealed class TaskRequests(ClaudeMcpServerSettings settings)
{
    public static readonly ToolParameter Prompt =
        new("prompt", ParameterType.String, "The task for the child Claude Code session, as you would type it.", Required: true);
    public static readonly ToolParameter WorkingDir =
        new("working_dir", ParameterType.String, "Absolute folder the child works in (default: the server's current folder).");
    public static readonly ToolParameter Model =
        new("model", ParameterType.String, "Model alias or name for the child, e.g. 'sonnet' or 'opus' (default: Claude Code's).");
    public static readonly ToolParameter SkipPermissions = new("skip_permissions", ParameterType.Boolean,
        "Skip the child's permission prompts (default true; a denied tool otherwise ends in a permission denial).");
    public static readonly ToolParameter Timeout = ToolParameter.Limited("timeout", ParameterType.Number, TaskOptionRules.Timeout);
    public static readonly ToolParameter PermissionMode = ToolParameter.Limited("permission_mode", ParameterType.String, TaskOptionRules.PermissionMode);
    public static readonly ToolParameter AllowedTools = new("allowed_tools", ParameterType.StringArray,
        "Tools the child may use without asking, e.g. [\"Read\", \"Bash(git log:*)\"].");
    public static readonly ToolParameter DisallowedTools = new("disallowed_tools", ParameterType.StringArray, "Tools the child must not use.");
    public static readonly ToolParameter MaxTurns = ToolParameter.Limited("max_turns", ParameterType.Integer, TaskOptionRules.MaxTurns);
    public static readonly ToolParameter MaxBudgetUsd = ToolParameter.Limited("max_budget_usd", ParameterType.Number, TaskOptionRules.MaxBudgetUsd);
    public static readonly ToolParameter ResumeSessionId =
        new("resume_session_id", ParameterType.String, "A session_id from an earlier task, to continue that conversation.");
    public static readonly ToolParameter AppendSystemPrompt =
        new("append_system_prompt", ParameterType.String, "Text appended to the child's system prompt.");
    public static readonly ToolParameter Name = new("name", ParameterType.String, "A short name to find the task by.");
    // Its choices are the engine's isolations, spelled as this door spells every name: in lower case.
    public static readonly ToolParameter Isolation = ToolParameter.Limited("isolation", ParameterType.String, new TaskOptionRule
    {
        Summary = "Where the child works: 'none' (default) in working_dir itself; 'worktree' in a new git worktree of the repository that "
            + "holds working_dir, on branch claude-task/<task id>, so parallel tasks never edit the same files; the work is committed there when the task completes.",
        Choices = Enum.GetValues<ClaudeIsolation>().Select(i => i.ToString().ToLowerInvariant()).ToArray(),
    });
    public static readonly ToolParameter BaseRef = new("base_ref", ParameterType.String,
        "With isolation 'worktree': the branch, tag or commit the worktree starts from (default HEAD).");
    public static readonly ToolParameter Commit = new("commit", ParameterType.Boolean,
        "With isolation 'worktree': commit what the child left uncommitted on its branch when the task completes (default true); "
        + "a failed, cancelled or timed-out task's worktree is always kept as it is, for inspection.");
    public static readonly ToolParameter JsonSchema = new("json_schema", ParameterType.JsonObject,
        "A JSON schema (an object, or its JSON text) the child's answer must fit; the answer comes back as structured_output, "
        + "and a run that ends without one is failed.");
    public static readonly ToolParameter FallbackModel = new("fallback_model", ParameterType.String,
        "Models to fall back to when the model is busy or unavailable, comma-separated, in order.");
    public static readonly ToolParameter Effort = ToolParameter.Limited("effort", ParameterType.String, TaskOptionRules.Effort);
    public static readonly ToolParameter SystemPrompt = new("system_prompt", ParameterType.String,
        "Replaces the child's system prompt (append_system_prompt adds to it instead).");
    public static readonly ToolParameter Settings = new("settings", ParameterType.String,
        "Claude Code settings for the child: a settings file's path (relative to working_dir) or JSON text.");
    public static readonly ToolParameter Agents = new("agents", ParameterType.JsonObject,
        "Custom subagents for the child, as a JSON object (or its text), e.g. {\"reviewer\": {\"description\": \"Reviews code\", \"prompt\": \"You review code\"}}.");
    public static readonly ToolParameter MaxRetries = ToolParameter.Limited("max_retries", ParameterType.Integer, TaskOptionRules.MaxRetries);
    public static readonly ToolParameter ForkSession = new("fork_session", ParameterType.Boolean,
        "With resume_session_id: continue in a new session id, leaving the original intact (for several tasks continuing one session).");

    /// <summary>The parameters of claude_code_execute and claude_code_execute_async: the seed project's, in its order, then v2's.</summary>
    public static IReadOnlyList<ToolParameter> Parameters { get; } =
        [Prompt, WorkingDir, Model, SkipPermissions, Timeout, PermissionMode, AllowedTools, DisallowedTools, MaxTurns, MaxBudgetUsd,
         ResumeSessionId, AppendSystemPrompt, Name, Isolation, BaseRef, Commit, JsonSchema, FallbackModel, Effort, SystemPrompt, Settings, Agents,
         ForkSession, MaxRetries];

    /// <summary>The spec of a call whose arguments fit <see cref="Parameters"/> (<see cref="InputSchema.Problem"/>).</summary>
    public ClaudeTaskSpec Build(ToolArguments arguments)
    {
        var workingDir = arguments.String(WorkingDir);
        var model = arguments.String(Model);
        var permissionMode = TaskOptionRules.PermissionMode.Choice(arguments.String(PermissionMode));
        var resumeSessionId = arguments.String(ResumeSessionId);
        var name = arguments.String(Name);
        var baseRef = arguments.String(BaseRef);
        var fallbackModel = arguments.String(FallbackModel);
        var settingsText = arguments.String(Settings);
        var dir = string.IsNullOrWhiteSpace(workingDir) ? Directory.GetCurrentDirectory() : workingDir;
        if (!Path.IsPathRooted(dir)) throw Invalid($"working_dir must be an absolute path, not '{dir}'.");
        dir = Path.GetFullPath(dir);
        if (settings.AllowedDirectories.Count > 0)
        {
            // Resolved once: the child gets the very folder the check saw, so a link retargeted meanwhile cannot lead elsewhere.
            var real = PathPolicy.RealPath(dir);
            if (!PathPolicy.IsInside(real, settings.AllowedDirectories))
            {
                throw Invalid($"working_dir '{dir}' is outside the folders this server allows ({string.Join(", ", settings.AllowedDirectories)}). "
                    + "Use a folder inside one of them.");
            }
            dir = real;
        }
        var skip = arguments.Boolean(SkipPermissions) ?? !settings.DenySkipPermissions;
        if (settings.DenySkipPermissions && (skip || permissionMode == "bypassPermissions"))
        {
            throw Invalid("This server refuses skip_permissions and permission_mode bypassPermissions (--deny-skip-permissions). "
                + "Set skip_permissions to false and grant what the task needs with allowed_tools or permission_mode acceptEdits.");
        }
        return new ClaudeTaskSpec
        {
            Prompt = arguments.RequiredString(Prompt),
            WorkingDirectory = dir,
            Model = string.IsNullOrWhiteSpace(model) ? settings.DefaultModel : model,
            SkipPermissions = skip,
            Timeout = arguments.Number(Timeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            PermissionMode = permissionMode,
            AllowedTools = arguments.Strings(AllowedTools) ?? [],
            DisallowedTools = arguments.Strings(DisallowedTools) ?? [],
            MaxTurns = arguments.Int32(MaxTurns),
            MaxBudgetUsd = arguments.Number(MaxBudgetUsd) is { } usd ? (decimal)usd : null,
            ResumeSessionId = string.IsNullOrWhiteSpace(resumeSessionId) ? null : resumeSessionId,
            AppendSystemPrompt = arguments.String(AppendSystemPrompt),
            Name = string.IsNullOrWhiteSpace(name) ? null : name,
            // The engine refuses a base ref or commit: false without a worktree, and an unknown base, in its own words.
            Isolation = Isolation.Rule!.Choice(arguments.String(Isolation)) is { } isolation ? Enum.Parse<ClaudeIsolation>(isolation, ignoreCase: true) : null,
            BaseRef = string.IsNullOrWhiteSpace(baseRef) ? null : baseRef,
            Commit = arguments.Boolean(Commit) ?? true,
            // The engine refuses JSON that is not an object, a settings file that does not exist and a fork without a resume.
            JsonSchema = arguments.JsonObject(JsonSchema),
            FallbackModel = string.IsNullOrWhiteSpace(fallbackModel) ? null : fallbackModel,
            Effort = TaskOptionRules.Effort.Choice(arguments.String(Effort)),
            SystemPrompt = arguments.String(SystemPrompt),
            Settings = string.IsNullOrWhiteSpace(settingsText) ? null : settingsText,
            Agents = arguments.JsonObject(Agents),
            ForkSession = arguments.Boolean(ForkSession) ?? false,
            MaxRetries = arguments.Int32(MaxRetries) ?? 0,
        };
    }

    private static ClaudeTaskException Invalid(string message) => new(ClaudeErrorCode.InvalidArgument, message);
}
