using System.Collections;
using System.Globalization;
using System.Management.Automation;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Options;

namespace ClaudeCodeMcp.Commands;

/// <summary>The parameters of a task to run, shared by Start-ClaudeTask and Invoke-ClaudeCode, in SURFACE.md's order.</summary>
public abstract class ClaudeTaskRunCmdlet : ClaudeCmdlet
{
    private ClaudeTaskThrottle? _throttle;

    /// <summary>
    /// What the child session should do; one task per prompt. Binds from piped text, or from the Prompt property of
    /// piped objects (the rows of Import-Csv); other objects are refused.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [AllowEmptyCollection]
    [PromptText]
    public string[] Prompt { get; set; } = [];

    /// <summary>The child's working directory (default: the current location); piped folders (Get-ChildItem -Directory) bind by their path.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    public string? WorkingDirectory { get; set; }

    /// <summary>The model: an alias such as sonnet or opus, or a full model name.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ModelCompleter))]
    public string? Model { get; set; }

    /// <summary>The child's permission mode.</summary>
    [Parameter]
    [TaskOption(nameof(ClaudeTaskSpec.PermissionMode))]
    [ArgumentCompleter(typeof(TaskOptionCompleter))]
    public string? PermissionMode { get; set; }

    /// <summary>Runs the child with --dangerously-skip-permissions.</summary>
    [Parameter]
    public SwitchParameter SkipPermissions { get; set; }

    /// <summary>Tools the child may use without asking, e.g. 'Read', 'Bash(git log:*)'.</summary>
    [Parameter]
    public string[] AllowedTools { get; set; } = [];

    /// <summary>Tools the child may not use.</summary>
    [Parameter]
    public string[] DisallowedTools { get; set; } = [];

    /// <summary>Ends the session after this many agentic turns.</summary>
    [Parameter]
    [TaskOption(nameof(ClaudeTaskSpec.MaxTurns))]
    public int? MaxTurns { get; set; }

    /// <summary>Ends the session when it has spent this many US dollars.</summary>
    [Parameter]
    [TaskOption(nameof(ClaudeTaskSpec.MaxBudgetUsd))]
    public decimal? MaxBudgetUsd { get; set; }

    /// <summary>Text appended to the child's system prompt.</summary>
    [Parameter]
    public string? AppendSystemPrompt { get; set; }

    /// <summary>MCP server configuration files or JSON strings for the child.</summary>
    [Parameter]
    public string[] McpConfig { get; set; } = [];

    /// <summary>More folders the child may use.</summary>
    [Parameter]
    public string[] AddDirectory { get; set; } = [];

    /// <summary>A session id to continue; a task or result piped in gives its own.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("SessionId")]
    public string? Resume { get; set; }

    /// <summary>A name to find the task by; a piped task, result or folder gives its own.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TaskNameCompleter))]
    public string? Name { get; set; }

    /// <summary>Stops the task as timed_out after this many seconds of running.</summary>
    [Parameter]
    [TaskOption(nameof(ClaudeTaskSpec.Timeout))]
    public double? Timeout { get; set; }

    /// <summary>At most this many of this call's tasks run at once (the rest queue); without it, this process's limit (4) applies.</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int? ThrottleLimit { get; set; }

    /// <summary>The claude executable (default: $env:CLAUDE_CODE_PATH, else claude on PATH).</summary>
    [Parameter]
    public string? ClaudePath { get; set; }

    /// <summary>Extra environment variables for the child.</summary>
    [Parameter]
    public Hashtable? Environment { get; set; }

    /// <summary>
    /// Worktree: the task runs in a new git worktree of the working directory's repository, on branch
    /// claude-task/&lt;id&gt;, apart from the user's and other tasks' uncommitted files. Binds from a piped row's Isolation.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [IsolationName]
    public ClaudeIsolation? Isolation
    {
        get => (ClaudeIsolation?)_isolation;
        set => _isolation = value;
    }

    // Boxed: a field of an engine value type would make Import-Module load the engine (to lay out this class while it
    // lists the module's types) before the module initializer can say where the engine is.
    private object? _isolation;

    /// <summary>With -Isolation Worktree: the branch, tag or commit the task's branch starts from (default HEAD).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? BaseRef { get; set; }

    /// <summary>With -Isolation Worktree: leaves what a completed task changed uncommitted in its worktree.</summary>
    [Parameter]
    public SwitchParameter NoCommit { get; set; }

    /// <summary>A JSON schema (a hashtable, an object or JSON text) the answer must fit; the result's StructuredOutput holds it.</summary>
    [Parameter]
    public object? JsonSchema { get; set; }

    /// <summary>Models to fall back to when the model is busy or unavailable, comma-separated, in order.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ModelCompleter))]
    public string? FallbackModel { get; set; }

    /// <summary>How much effort the child's model spends thinking.</summary>
    [Parameter]
    [TaskOption(nameof(ClaudeTaskSpec.Effort))]
    [ArgumentCompleter(typeof(TaskOptionCompleter))]
    public string? Effort { get; set; }

    /// <summary>Replaces the child's system prompt (-AppendSystemPrompt adds to it instead).</summary>
    [Parameter]
    public string? SystemPrompt { get; set; }

    /// <summary>Claude Code settings for the child: a settings file or JSON text.</summary>
    [Parameter]
    public string? Settings { get; set; }

    /// <summary>Custom subagents: a hashtable, an object or JSON text of an object.</summary>
    [Parameter]
    public object? Agents { get; set; }

    /// <summary>With -Resume: continues in a new session id, leaving the original intact.</summary>
    [Parameter]
    public SwitchParameter ForkSession { get; set; }

    /// <summary>Starts the task again on its session, up to this many times, when it ends on a rate limit, an overload or a server error.</summary>
    [Parameter]
    [TaskOption(nameof(ClaudeTaskSpec.MaxRetries))]
    public int? MaxRetries { get; set; }

    /// <summary>
    /// Starts one task on this call's throttle: its own when <see cref="ThrottleLimit"/> is given (shared by the
    /// tasks this call starts, never changing anyone else's limit), else the engine's.
    /// </summary>
    internal ClaudeTaskRecord StartTask(ClaudeTaskSpec spec)
    {
        if (ThrottleLimit is { } limit) _throttle ??= new ClaudeTaskThrottle(limit);
        return Engine.Start(spec, _throttle);
    }

    /// <summary>
    /// The spec of one task. The child starts from this session's environment as it is now (so <c>$env:</c>
    /// changes count, removals too; the engine drops a parent Claude Code session's variables), plus
    /// <see cref="Environment"/>; <c>claude</c> is found the same way, now.
    /// </summary>
    internal ClaudeTaskSpec BuildSpec(string prompt)
    {
        var inherited = ChildEnvironment.Current();
        var extra = new Dictionary<string, string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        if (Environment is not null)
        {
            foreach (DictionaryEntry entry in Environment)
                extra[Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!] = Convert.ToString(entry.Value, CultureInfo.InvariantCulture) ?? "";
        }
        var lookup = new Dictionary<string, string>(inherited, inherited.Comparer);
        foreach (var (name, value) in extra) lookup[name] = value;
        var claude = ClaudeExecutableLocator.Locate(ClaudePath is null ? null : ResolvePath(ClaudePath), lookup);
        var resume = string.IsNullOrWhiteSpace(Resume) ? null : Resume;
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Resume)) && resume is null)
        {
            throw new ClaudeTaskException(ClaudeErrorCode.InvalidArgument,
                "There is no session to resume: the task has no session id yet. Wait for it to start (Wait-ClaudeTask), or pass a session id.");
        }
        return new ClaudeTaskSpec
        {
            Prompt = prompt,
            WorkingDirectory = ResolvePath(Given(WorkingDirectory) ?? SessionState.Path.CurrentFileSystemLocation.ProviderPath),
            Model = Given(Model),
            PermissionMode = TaskOptionRules.PermissionMode.Choice(PermissionMode),
            SkipPermissions = SkipPermissions,
            AllowedTools = AllowedTools,
            DisallowedTools = DisallowedTools,
            MaxTurns = MaxTurns,
            MaxBudgetUsd = MaxBudgetUsd,
            AppendSystemPrompt = AppendSystemPrompt,
            McpConfig = McpConfig,
            AddDirectories = AddDirectory.Select(ResolvePath).ToArray(),
            ResumeSessionId = resume,
            Name = Given(Name),
            Timeout = Timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            Isolation = Isolation,
            BaseRef = Given(BaseRef)?.Trim(),
            Commit = !NoCommit,
            JsonSchema = PowerShellJson.ToJsonText(JsonSchema),
            FallbackModel = Given(FallbackModel),
            Effort = TaskOptionRules.Effort.Choice(Effort),
            SystemPrompt = SystemPrompt,
            // A file is found from the current location, as every path of a cmdlet; JSON text goes as it is.
            Settings = Given(Settings) is { } settings && !settings.TrimStart().StartsWith('{') ? ResolvePath(settings) : Given(Settings),
            Agents = PowerShellJson.ToJsonText(Agents),
            ForkSession = ForkSession,
            MaxRetries = MaxRetries ?? 0,
            ClaudePath = claude,
            InheritedEnvironment = inherited,
            Environment = extra,
        };
    }

    /// <summary>A blank value (an empty cell of a CSV row) is no value: the default applies.</summary>
    private static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>The child's command line, for -Verbose (the prompt goes to stdin, never here).</summary>
    internal static string DescribeCommand(ClaudeTaskSpec spec) =>
        string.Join(' ', ClaudeArguments.Build(spec).Prepend(spec.ClaudePath!).Select(Quote));

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => !char.IsWhiteSpace(c) && c is not '\'' and not '"') ? arg : "'" + arg.Replace("'", "''") + "'";
}

/// <summary>
/// Lets only text become a prompt, or an object's Prompt property. Without it PowerShell would turn any piped object
/// into its string (a task into its id, a result into its answer) and start a paid session on it; a piped task or
/// result continues its session only when the new prompt is given: <c>$task | Start-ClaudeTask 'next step'</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class PromptTextAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is null or string or string[]) return inputData;
        // An object with a Prompt property (a row of Import-Csv) binds by that property: let the binder get there.
        if (PSObject.AsPSObject(inputData).Properties["Prompt"] is not null) return inputData;
        if (value is IEnumerable items and not IDictionary)
        {
            foreach (var item in items) Check(item is PSObject o ? o.BaseObject : item);
            return inputData;
        }
        Check(value);
        return inputData;
    }

    private static void Check(object? value)
    {
        if (value is null or string or char) return;
        var hint = value is Jobs.ClaudeTaskJob or ClaudeTaskResult
            ? " To continue its session, give the new prompt with it: $task | Start-ClaudeTask 'what to do next'."
            : " Pass text, e.g. a string or the lines of a file.";
        throw new ArgumentTransformationMetadataException($"A {value.GetType().Name} is not a prompt: only text binds to -Prompt.{hint}");
    }
}
