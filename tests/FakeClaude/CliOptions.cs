namespace FakeClaude;

/// <summary>The Claude Code CLI options the fake understands. Unknown flags and positional arguments are ignored.</summary>
internal sealed class CliOptions
{
    private static readonly HashSet<string> ValueOptions =
    [
        "--model", "--permission-mode", "--max-turns", "--max-budget-usd", "--append-system-prompt",
        "--mcp-config", "--add-dir", "--allowedTools", "--disallowedTools", "--resume", "--output-format",
    ];

    public string? Model { get; private set; }
    public string? PermissionMode { get; private set; }
    public string? MaxTurns { get; private set; }
    public string? MaxBudgetUsd { get; private set; }
    public string? AppendSystemPrompt { get; private set; }
    public string? McpConfig { get; private set; }
    public string? Resume { get; private set; }
    public string? OutputFormat { get; private set; }
    public List<string> AddDirs { get; } = [];
    public List<string> AllowedTools { get; } = [];
    public List<string> DisallowedTools { get; } = [];
    public bool Print { get; private set; }
    public bool Verbose { get; private set; }
    public bool DangerouslySkipPermissions { get; private set; }

    /// <summary>Parses argv; options take their value as <c>--flag=value</c> or <c>--flag value</c>.</summary>
    /// <exception cref="ArgumentException">A value option is last with no value (message is the CLI's error text).</exception>
    public static CliOptions Parse(IReadOnlyList<string> args)
    {
        var options = new CliOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string? inlineValue = null;
            int equals = name.IndexOf('=');
            if (name.StartsWith("--", StringComparison.Ordinal) && equals > 2)
            {
                inlineValue = name[(equals + 1)..];
                name = name[..equals];
            }

            switch (name)
            {
                case "-p" or "--print": options.Print = true; break;
                case "--verbose": options.Verbose = true; break;
                case "--dangerously-skip-permissions": options.DangerouslySkipPermissions = true; break;
                default:
                    if (!ValueOptions.Contains(name)) break; // unknown flag or positional argument
                    string value = inlineValue
                        ?? (i + 1 < args.Count ? args[++i] : throw new ArgumentException($"error: option '{name} <value>' argument missing"));
                    options.Set(name, value);
                    break;
            }
        }
        return options;
    }

    private void Set(string name, string value)
    {
        switch (name)
        {
            case "--model": Model = value; break;
            case "--permission-mode": PermissionMode = value; break;
            case "--max-turns": MaxTurns = value; break;
            case "--max-budget-usd": MaxBudgetUsd = value; break;
            case "--append-system-prompt": AppendSystemPrompt = value; break;
            case "--mcp-config": McpConfig = value; break;
            case "--resume": Resume = value; break;
            case "--output-format": OutputFormat = value; break;
            case "--add-dir": AddDirs.Add(value); break;
            case "--allowedTools": AllowedTools.Add(value); break;
            case "--disallowedTools": DisallowedTools.Add(value); break;
        }
    }
}
