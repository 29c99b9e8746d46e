using System.Globalization;
using ClaudeCodeMcp.Engine;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// Declares the arguments of claude_code_execute(_async) and turns them into a task spec, applying the server's policy:
/// allowed folders, the refusal of skipped permissions, the default model.
/// </summary>
internal sealed class TaskRequests(ClaudeMcpServerSettings settings)
{
    /// <summary>The parameters of claude_code_execute and claude_code_execute_async, in the seed project's order.</summary>
    public static IReadOnlyList<ToolParameter> Parameters { get; } =
    [
        new("prompt", ParameterType.String, "The task for the child Claude Code session, as you would type it.", Required: true),
        new("working_dir", ParameterType.String, "Absolute folder the child works in (default: the server's current folder)."),
        new("model", ParameterType.String, "Model alias or name for the child, e.g. 'sonnet' or 'opus' (default: Claude Code's)."),
        new("skip_permissions", ParameterType.Boolean, "Skip the child's permission prompts (default true; a denied tool otherwise ends in a permission denial)."),
        new("timeout", ParameterType.Number, "Stop the child after this many seconds (default: no limit)."),
        new("permission_mode", ParameterType.String, "Permission mode: default, acceptEdits, plan, auto, dontAsk or bypassPermissions."),
        new("allowed_tools", ParameterType.StringArray, "Tools the child may use without asking, e.g. [\"Read\", \"Bash(git log:*)\"]."),
        new("disallowed_tools", ParameterType.StringArray, "Tools the child must not use."),
        new("max_turns", ParameterType.Integer, "Maximum agent turns for the child."),
        new("max_budget_usd", ParameterType.Number, "Maximum spend in USD for the child."),
        new("resume_session_id", ParameterType.String, "A session_id from an earlier task, to continue that conversation."),
        new("append_system_prompt", ParameterType.String, "Text appended to the child's system prompt."),
        new("name", ParameterType.String, "A short name to find the task by."),
    ];

    public ClaudeTaskSpec Build(ToolArguments arguments)
    {
        var prompt = arguments.RequiredString("prompt");
        var workingDir = arguments.String("working_dir");
        var model = arguments.String("model");
        var permissionMode = arguments.String("permission_mode");
        var timeout = arguments.Number("timeout");
        var maxBudgetUsd = arguments.Number("max_budget_usd");
        var resumeSessionId = arguments.String("resume_session_id");
        var name = arguments.String("name");
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
        var skip = arguments.Boolean("skip_permissions") ?? !settings.DenySkipPermissions;
        if (settings.DenySkipPermissions && (skip || permissionMode == "bypassPermissions"))
        {
            throw Invalid("This server refuses skip_permissions and permission_mode bypassPermissions (--deny-skip-permissions). "
                + "Set skip_permissions to false and grant what the task needs with allowed_tools or permission_mode acceptEdits.");
        }
        if (timeout is { } t && (t <= 0 || t > TimeSpan.FromDays(1).TotalSeconds))
            throw Invalid($"timeout is in seconds and must be more than 0 and at most 86400, not {t.ToString(CultureInfo.InvariantCulture)}.");
        if (maxBudgetUsd is { } b && (b <= 0 || b > 1_000_000))
            throw Invalid($"max_budget_usd must be more than 0 and at most 1000000, not {b.ToString(CultureInfo.InvariantCulture)}.");
        return new ClaudeTaskSpec
        {
            Prompt = prompt,
            WorkingDirectory = dir,
            Model = string.IsNullOrWhiteSpace(model) ? settings.DefaultModel : model,
            SkipPermissions = skip,
            Timeout = timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            PermissionMode = string.IsNullOrWhiteSpace(permissionMode) ? null : permissionMode,
            AllowedTools = arguments.Strings("allowed_tools") ?? [],
            DisallowedTools = arguments.Strings("disallowed_tools") ?? [],
            MaxTurns = arguments.Int32("max_turns"),
            MaxBudgetUsd = maxBudgetUsd is { } usd ? (decimal)usd : null,
            ResumeSessionId = string.IsNullOrWhiteSpace(resumeSessionId) ? null : resumeSessionId,
            AppendSystemPrompt = arguments.String("append_system_prompt"),
            Name = string.IsNullOrWhiteSpace(name) ? null : name,
        };
    }

    private static ClaudeTaskException Invalid(string message) => new(ClaudeErrorCode.InvalidArgument, message);
}
