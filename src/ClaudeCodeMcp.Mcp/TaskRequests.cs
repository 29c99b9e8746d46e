using System.Globalization;
using ClaudeCodeMcp.Engine;

namespace ClaudeCodeMcp.Mcp;

/// <summary>
/// Turns the arguments of claude_code_execute(_async) into a task spec, applying the server's policy:
/// allowed folders, the refusal of skipped permissions, the default model.
/// </summary>
internal sealed class TaskRequests(ClaudeMcpServerSettings settings)
{
    public ClaudeTaskSpec Build(string prompt, string? workingDir, string? model, bool? skipPermissions, double? timeout,
        string? permissionMode, string[]? allowedTools, string[]? disallowedTools, int? maxTurns, double? maxBudgetUsd,
        string? resumeSessionId, string? appendSystemPrompt, string? name)
    {
        var dir = string.IsNullOrWhiteSpace(workingDir) ? Directory.GetCurrentDirectory() : workingDir;
        if (!Path.IsPathRooted(dir)) throw Invalid($"working_dir must be an absolute path, not '{dir}'.");
        dir = Path.GetFullPath(dir);
        if (!PathPolicy.IsInside(dir, settings.AllowedDirectories))
        {
            throw Invalid($"working_dir '{dir}' is outside the folders this server allows ({string.Join(", ", settings.AllowedDirectories)}). "
                + "Use a folder inside one of them.");
        }
        // The child gets the folder the check saw: a link retargeted while the task waits cannot lead elsewhere.
        if (settings.AllowedDirectories.Count > 0) dir = PathPolicy.RealPath(dir);
        var skip = skipPermissions ?? !settings.DenySkipPermissions;
        if (settings.DenySkipPermissions && (skip || permissionMode == "bypassPermissions"))
        {
            throw Invalid("This server refuses skip_permissions and permission_mode bypassPermissions (--deny-skip-permissions). "
                + "Set skip_permissions to false and grant what the task needs with allowed_tools or permission_mode acceptEdits.");
        }
        if (timeout is { } t && (double.IsNaN(t) || t <= 0 || t > TimeSpan.FromDays(1).TotalSeconds))
            throw Invalid($"timeout is in seconds and must be more than 0 and at most 86400, not {t.ToString(CultureInfo.InvariantCulture)}.");
        if (maxBudgetUsd is { } b && (double.IsNaN(b) || b <= 0 || b > 1_000_000))
            throw Invalid("max_budget_usd must be more than 0.");
        return new ClaudeTaskSpec
        {
            Prompt = prompt,
            WorkingDirectory = dir,
            Model = string.IsNullOrWhiteSpace(model) ? settings.DefaultModel : model,
            SkipPermissions = skip,
            Timeout = timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            PermissionMode = string.IsNullOrWhiteSpace(permissionMode) ? null : permissionMode,
            AllowedTools = allowedTools ?? [],
            DisallowedTools = disallowedTools ?? [],
            MaxTurns = maxTurns,
            MaxBudgetUsd = maxBudgetUsd is { } usd ? (decimal)usd : null,
            ResumeSessionId = string.IsNullOrWhiteSpace(resumeSessionId) ? null : resumeSessionId,
            AppendSystemPrompt = appendSystemPrompt,
            Name = string.IsNullOrWhiteSpace(name) ? null : name,
        };
    }

    private static ClaudeTaskException Invalid(string message) => new(ClaudeErrorCode.InvalidArgument, message);
}
