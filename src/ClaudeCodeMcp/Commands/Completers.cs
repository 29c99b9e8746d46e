using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Options;
using ClaudeCodeMcp.Engine.Store;
using ClaudeCodeMcp.Jobs;

namespace ClaudeCodeMcp.Commands;

/// <summary>Completes task ids from the shared store, newest first, with the prompt as the tooltip.</summary>
public sealed class TaskIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Tasks(fakeBoundParameters)
            .Where(r => r.Id.StartsWith(Completion.Unquote(wordToComplete), StringComparison.OrdinalIgnoreCase))
            .Select(r => new CompletionResult(r.Id, r.Id, CompletionResultType.ParameterValue, Completion.Tooltip(r)));
}

/// <summary>Completes job ids (the Id column) of the tasks this session has met, newest first, with task id and prompt as the tooltip.</summary>
public sealed class JobIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        if (Runspace.DefaultRunspace?.JobManager is not { } jobManager) return [];
        var word = Completion.Unquote(wordToComplete);
        return ClaudeTaskJobSourceAdapter.KnownJobs(jobManager)
            .Where(j => j.Id.ToString(System.Globalization.CultureInfo.InvariantCulture).StartsWith(word, StringComparison.Ordinal))
            .OrderByDescending(j => j.Id)
            .Select(j => new CompletionResult(j.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), j.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                CompletionResultType.ParameterValue, $"{j.TaskId} " + Completion.Tooltip(j.Record)));
    }
}

/// <summary>Completes task names from the shared store.</summary>
public sealed class TaskNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Tasks(fakeBoundParameters)
            .Where(r => r.Name is not null && r.Name.StartsWith(Completion.Unquote(wordToComplete), StringComparison.OrdinalIgnoreCase))
            .GroupBy(r => r.Name!, StringComparer.Ordinal)
            .Select(g => new CompletionResult(Completion.Quote(g.Key), g.Key, CompletionResultType.ParameterValue, Completion.Tooltip(g.First())));
}

/// <summary>Completes the model aliases, then models tasks in the store have used.</summary>
public sealed class ModelCompleter : IArgumentCompleter
{
    private static readonly string[] Aliases = ["sonnet", "opus", "haiku", "opusplan", "sonnet[1m]"];

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = Completion.Unquote(wordToComplete);
        var used = Completion.Tasks(fakeBoundParameters).SelectMany(r => new[] { r.RequestedModel, r.Model }).OfType<string>();
        return Aliases.Concat(used)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(m => m.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(m => new CompletionResult(Completion.Quote(m), m, CompletionResultType.ParameterValue, m));
    }
}

/// <summary>Completes a task parameter with the choices of the engine's rule for it (the parameter is named as the spec's property).</summary>
public sealed class TaskOptionCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = Completion.Unquote(wordToComplete);
        var choices = TaskOptionRules.All.TryGetValue(parameterName, out var rule) ? rule.Choices : [];
        return choices
            .Where(c => c.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(c => new CompletionResult(c, c, CompletionResultType.ParameterValue, c));
    }
}

internal static class Completion
{
    /// <summary>
    /// The store's tasks; nothing when the store cannot be read (completion never throws). Completion creates
    /// nothing: a folder that does not exist has no tasks, and one without an engine here is only read.
    /// </summary>
    public static IReadOnlyList<ClaudeTaskRecord> Tasks(IDictionary fakeBoundParameters)
    {
        try
        {
            var given = fakeBoundParameters[nameof(ClaudeCmdlet.StateDirectory)] as string;
            var directory = string.IsNullOrWhiteSpace(given)
                ? StateDirectory.Default(ChildEnvironment.Current())
                : ResolveAgainstLocation(given);
            return SharedEngine.Existing(directory) is { } engine ? engine.Manager.List() : ClaudeTaskManager.Peek(directory);
        }
        catch (Exception e) when (e is ClaudeTaskException or IOException or UnauthorizedAccessException or ArgumentException
                                      or NotSupportedException or PSInvalidOperationException)
        {
            return [];
        }
    }

    /// <summary>A path as the user typed it, relative to the current PowerShell location (not the process's working directory).</summary>
    private static string ResolveAgainstLocation(string path)
    {
        if (Runspace.DefaultRunspace is null) return Path.GetFullPath(path);
        // Completion runs on the pipeline thread, where the session state is reached through a script block.
        var resolved = ResolveScript.Value.Invoke(path);
        return resolved.Count == 1 && resolved[0]?.BaseObject is string full ? full : Path.GetFullPath(path);
    }

    private static readonly Lazy<ScriptBlock> ResolveScript =
        new(() => ScriptBlock.Create("$ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($args[0])"));

    public static string Tooltip(ClaudeTaskRecord r) => $"{r.State.ToWireName()}: {r.PromptPreview}";

    public static string Unquote(string word) => word.Trim('\'', '"');

    public static string Quote(string value) =>
        value.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '`' or '[' or ']' or '(' or ')' or ';' or ',' or '&' or '{' or '}' or '@' or '#')
            ? "'" + value.Replace("'", "''") + "'"
            : value;
}
