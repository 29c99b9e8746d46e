using System.Globalization;
using ClaudeCodeMcp.Engine.Options;

namespace ClaudeCodeMcp.Engine;

/// <summary>
/// Builds the child's argument list. Every value travels in the <c>--flag=value</c> form, one token per
/// value: a value that starts with <c>-</c> can never be read as a flag, and variadic flags swallow nothing.
/// The prompt is not here: it goes to stdin.
/// </summary>
public static class ClaudeArguments
{
    /// <summary>The values <c>--permission-mode</c> accepts (<see cref="TaskOptionRules.PermissionMode"/>).</summary>
    public static IReadOnlyList<string> PermissionModes => TaskOptionRules.PermissionMode.Choices;

    public static IReadOnlyList<string> Build(ClaudeTaskSpec spec) => Build(spec, validate: true);

    private static List<string> Build(ClaudeTaskSpec spec, bool validate)
    {
        if (validate) Validate(spec);
        var args = new List<string> { "-p", "--output-format", "stream-json", "--verbose" };
        if (spec.Model is { } model) args.Add($"--model={model}");
        if (spec.PermissionMode is { } mode) args.Add($"--permission-mode={mode}");
        if (spec.SkipPermissions) args.Add("--dangerously-skip-permissions");
        args.AddRange(spec.AllowedTools.Select(tool => $"--allowedTools={tool}"));
        args.AddRange(spec.DisallowedTools.Select(tool => $"--disallowedTools={tool}"));
        if (spec.MaxTurns is { } turns) args.Add($"--max-turns={turns.ToString(CultureInfo.InvariantCulture)}");
        if (spec.MaxBudgetUsd is { } budget) args.Add($"--max-budget-usd={budget.ToString(CultureInfo.InvariantCulture)}");
        if (spec.AppendSystemPrompt is { } system) args.Add($"--append-system-prompt={system}");
        args.AddRange(spec.McpConfig.Select(config => $"--mcp-config={config}"));
        args.AddRange(spec.AddDirectories.Select(dir => $"--add-dir={dir}"));
        if (spec.ResumeSessionId is { } session) args.Add($"--resume={session}");
        if (spec.ForkSession) args.Add("--fork-session");
        if (spec.FallbackModel is { } fallback) args.Add($"--fallback-model={fallback}");
        if (TaskOptionRules.Effort.Choice(spec.Effort) is { } effort) args.Add($"--effort={effort}");
        if (spec.SystemPrompt is { } prompt) args.Add($"--system-prompt={prompt}");
        if (spec.Settings is { } settings) args.Add($"--settings={SettingsValue(spec, settings)}");
        if (spec.Agents is { } agents) args.Add($"--agents={JsonText.CompactObject(agents, out _) ?? agents}");
        if (spec.JsonSchema is { } schema) args.Add($"--json-schema={JsonText.CompactObject(schema, out _) ?? schema}");
        return args;
    }

    /// <summary>Refuses specs the CLI would misread, with a message that says what to change.</summary>
    public static void Validate(ClaudeTaskSpec spec)
    {
        if (string.IsNullOrWhiteSpace(spec.Prompt))
            throw Invalid(ClaudeErrorCode.EmptyPrompt, "The prompt is empty. Give the task something to do.");
        if (spec.Prompt.Contains('\0'))
            throw Invalid(ClaudeErrorCode.InvalidArgument, "The prompt contains a NUL character, which cannot be passed to claude. Remove it.");
        var promptBytes = System.Text.Encoding.UTF8.GetByteCount(spec.Prompt);
        if (promptBytes > TaskLimits.MaxPromptBytes)
            throw Invalid(ClaudeErrorCode.InvalidArgument, $"The prompt is {promptBytes:N0} bytes; the limit is {TaskLimits.MaxPromptBytes:N0} (1 MiB). "
                + "Put the material in a file in the working directory and ask the task to read it.");
        if (spec.Name is { Length: > TaskLimits.MaxNameChars })
            throw Invalid(ClaudeErrorCode.InvalidArgument, $"The name is {spec.Name.Length:N0} characters; the limit is {TaskLimits.MaxNameChars}. Give the task a short name.");
        if (spec.WorkingDirectory.Contains('\0'))
            throw Invalid(ClaudeErrorCode.InvalidArgument, "The working directory contains a NUL character, which no path can hold. Pass the folder's path.");
        if (spec.Model is not null && !IsToken(spec.Model, allowBrackets: true))
            throw Invalid(ClaudeErrorCode.InvalidArgument, $"'{spec.Model}' is not a model name. Use a name or alias such as 'sonnet', 'opus' or 'claude-sonnet-4-5'.");
        if (spec.PermissionMode is not null && !PermissionModes.Contains(spec.PermissionMode, StringComparer.Ordinal))
            throw Invalid(ClaudeErrorCode.InvalidArgument, $"'{spec.PermissionMode}' is not a permission mode. Use one of: {string.Join(", ", PermissionModes)}.");
        if (spec.MaxTurns is { } turns && !TaskOptionRules.MaxTurns.Allows(turns))
            throw Invalid(ClaudeErrorCode.InvalidArgument, $"MaxTurns must be {TaskOptionRules.MaxTurns.Limits}.");
        if (!TaskOptionRules.MaxRetries.Allows(spec.MaxRetries))
            throw Invalid(ClaudeErrorCode.InvalidArgument, $"MaxRetries must be {TaskOptionRules.MaxRetries.Limits}, not {spec.MaxRetries}. A task still failing after ten tries needs a look, not an eleventh.");
        if (spec.MaxBudgetUsd is { } budget && !TaskOptionRules.MaxBudgetUsd.Allows((double)budget))
            throw Invalid(ClaudeErrorCode.InvalidArgument, $"MaxBudgetUsd must be {TaskOptionRules.MaxBudgetUsd.Limits}.");
        if (spec.Timeout is { } timeout && !TaskOptionRules.Timeout.Allows(timeout.TotalSeconds))
            throw Invalid(ClaudeErrorCode.InvalidArgument, $"The timeout must be {TaskOptionRules.Timeout.Limits}.");
        if (spec.ResumeSessionId is not null && !Guid.TryParseExact(spec.ResumeSessionId, "D", out _))
            throw Invalid(ClaudeErrorCode.InvalidArgument, $"'{Shown(spec.ResumeSessionId)}' is not a session id. Pass the session_id of an earlier task (a UUID such as 3f2c…-…).");
        if (spec.Isolation != ClaudeIsolation.Worktree && !string.IsNullOrWhiteSpace(spec.BaseRef))
            throw Invalid(ClaudeErrorCode.InvalidArgument, $"A base ref ('{spec.BaseRef}') applies only to a task isolated in a git worktree. Ask for worktree isolation too, or leave the base ref out.");
        if (!spec.Commit && (spec.Isolation == ClaudeIsolation.None || spec.Isolation is null && spec.ResumeSessionId is null))
            throw Invalid(ClaudeErrorCode.InvalidArgument, "Leaving the work uncommitted applies only to a task isolated in a git worktree. Ask for worktree isolation too, or leave that option out.");
        ValidateOptions(spec);
        foreach (var tool in spec.AllowedTools.Concat(spec.DisallowedTools))
        {
            if (string.IsNullOrWhiteSpace(tool) || tool.Contains('\0') || tool.Contains('\n') || tool.TrimStart().StartsWith('-'))
                throw Invalid(ClaudeErrorCode.InvalidArgument, $"'{tool}' is not a tool name. Use names such as 'Read', 'Bash(git log:*)' or 'mcp__server__tool'.");
        }
        if (Build(spec, validate: false).FirstOrDefault(a => System.Text.Encoding.UTF8.GetByteCount(a) > TaskLimits.MaxArgumentBytes) is { } tooLong)
        {
            var flag = tooLong.Split('=', 2)[0];
            throw Invalid(ClaudeErrorCode.InvalidArgument, $"The value of {flag} is {System.Text.Encoding.UTF8.GetByteCount(tooLong):N0} bytes; one argument to claude can be at most "
                + $"{TaskLimits.MaxArgumentBytes:N0} (a limit of the operating system). Shorten it, or put the text in a file the task reads.");
        }
        foreach (var text in spec.McpConfig.Concat(spec.AddDirectories).Append(spec.AppendSystemPrompt ?? "").Append(spec.SystemPrompt ?? ""))
        {
            if (text.Contains('\0'))
                throw Invalid(ClaudeErrorCode.InvalidArgument, "An argument contains a NUL character, which cannot be passed to claude. Remove it.");
        }
    }

    /// <summary>The options Claude Code takes as they are (fallback model, effort, system prompt, settings, subagents, schema, fork).</summary>
    private static void ValidateOptions(ClaudeTaskSpec spec)
    {
        if (spec.FallbackModel is not null && !spec.FallbackModel.Split(',').All(m => IsToken(m.Trim(), allowBrackets: true)))
            throw Invalid(ClaudeErrorCode.InvalidArgument, $"'{Shown(spec.FallbackModel)}' is not a fallback model. Use a model name or alias such as 'sonnet', or several separated by commas, in order.");
        if (!TaskOptionRules.Effort.AllowsChoice(spec.Effort))
            throw Invalid(ClaudeErrorCode.InvalidArgument, $"'{Shown(spec.Effort!)}' is not an effort level. Use {TaskOptionRules.Effort.Limits}.");
        if (spec.ForkSession && spec.ResumeSessionId is null)
            throw Invalid(ClaudeErrorCode.InvalidArgument, "Forking a session applies only when a session is resumed. Pass the session id to resume too, or leave the fork out.");
        if (spec.Agents is not null && JsonText.CompactObject(spec.Agents, out var agentsProblem) is null)
            throw Invalid(ClaudeErrorCode.InvalidArgument, $"The agents must be a JSON object such as {{\"reviewer\": {{\"description\": \"...\", \"prompt\": \"...\"}}}}, but {agentsProblem}.");
        if (spec.JsonSchema is not null && JsonText.CompactObject(spec.JsonSchema, out var schemaProblem) is null)
            throw Invalid(ClaudeErrorCode.InvalidArgument, $"The JSON schema must be a JSON object such as {{\"type\": \"object\", \"properties\": {{...}}}}, but {schemaProblem}.");
        if (spec.Settings is { } settings)
        {
            if (string.IsNullOrWhiteSpace(settings) || settings.Contains('\0'))
                throw Invalid(ClaudeErrorCode.InvalidArgument, "The settings must be a settings file's path or JSON text. Pass one, or leave the settings out.");
            if (settings.TrimStart().StartsWith('{'))
            {
                if (JsonText.CompactObject(settings, out var settingsProblem) is null)
                    throw Invalid(ClaudeErrorCode.InvalidArgument, $"The settings look like JSON text, but {settingsProblem}. Fix the JSON, or pass a settings file's path.");
            }
            else if (!File.Exists(SettingsValue(spec, settings)))
            {
                throw Invalid(ClaudeErrorCode.InvalidArgument, $"The settings file '{SettingsValue(spec, settings)}' does not exist. Pass an existing file, or the settings as JSON text.");
            }
        }
    }

    /// <summary>
    /// The settings as passed on: JSON text as it is, a file's path made absolute from the working directory (the
    /// manager fixes it so before a worktree task moves to its worktree, where the file may not be).
    /// </summary>
    internal static string SettingsValue(ClaudeTaskSpec spec, string settings) =>
        settings.TrimStart().StartsWith('{') ? settings
        : string.IsNullOrWhiteSpace(spec.WorkingDirectory) ? Path.GetFullPath(settings)
        : Path.GetFullPath(settings, Path.GetFullPath(spec.WorkingDirectory));

    private static bool IsToken(string text, bool allowBrackets) =>
        text.Length is > 0 and <= 200 && !text.StartsWith('-')
        && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':' or '/' or '@'
                         || (allowBrackets && c is '[' or ']'));

    private static string Shown(string text) => text.Length > 40 ? text[..40] + "…" : text;

    private static ClaudeTaskException Invalid(ClaudeErrorCode code, string message) => new(code, message);
}
