using System.Globalization;

namespace ClaudeCodeMcp.Mcp;

/// <summary>Parses the server's flags (<c>--throttle-limit 8 --allowed-dir ~/src ...</c>).</summary>
public static class ServerFlags
{
    public const string Help = """
        claude-code-mcp: serves Claude Code task tools over stdio MCP.

        Usage: claude-code-mcp [options]

        Options:
          --throttle-limit <n>      children running at once; more tasks queue (default 4)
          --state-dir <path>        task store (default: $CLAUDE_CODE_MCP_STATE_DIR, else the user's state folder)
          --claude-path <path>      the claude executable (default: $CLAUDE_CODE_PATH, else claude on PATH)
          --allowed-dir <path>      refuse a working_dir outside this folder (repeatable)
          --deny-skip-permissions   refuse skip_permissions and permission_mode bypassPermissions
          --default-model <name>    model for tasks that name none
          --max-children <n>        children alive at once across every process sharing the state folder; more
                                    tasks queue (default: $CLAUDE_CODE_MCP_MAX_CHILDREN, else 16)
          --max-depth <n>           start tasks only below this nesting depth (default: $CLAUDE_CODE_MCP_MAX_DEPTH,
                                    else 1: a server running inside a task starts none)
          --daily-budget-usd <n>    refuse new tasks once the tasks of the state folder started in the last 24 hours
                                    have cost this many US dollars (default: $CLAUDE_CODE_MCP_DAILY_BUDGET_USD, else none)
          --log-file <path>         diagnostics (default: stderr; nothing but protocol goes to stdout)
          --verbose                 more diagnostics (never prompts or environment values)
          --help                    print this help and exit
          --version                 print the version and exit

        Register with Claude Code:
          claude mcp add --scope user claude-tasks -- claude-code-mcp
        """;

    /// <summary>Parses flags; throws <see cref="ArgumentException"/> with a message that says what to fix.</summary>
    public static ClaudeMcpServerSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new ClaudeMcpServerSettings();
        var allowed = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var (flag, inline) = Split(args[i]);
            string Value()
            {
                if (inline is not null) return inline;
                if (i + 1 >= args.Count) throw new ArgumentException($"{flag} needs a value. See --help.");
                return args[++i];
            }
            switch (flag)
            {
                case "--throttle-limit":
                    settings = settings with { ThrottleLimit = WholeNumber(flag, Value(), 1, 1000) };
                    break;
                case "--max-children":
                    settings = settings with { MaxChildren = WholeNumber(flag, Value(), 1, 1000) };
                    break;
                case "--max-depth":
                    settings = settings with { MaxDepth = WholeNumber(flag, Value(), 1, 100) };
                    break;
                case "--daily-budget-usd":
                    settings = settings with { DailyBudgetUsd = Dollars(flag, Value()) };
                    break;
                case "--state-dir":
                    settings = settings with { StateDirectory = Path.GetFullPath(Value()) };
                    break;
                case "--claude-path":
                    settings = settings with { ClaudePath = Value() };
                    break;
                case "--allowed-dir":
                    allowed.Add(Path.GetFullPath(Value()));
                    break;
                case "--deny-skip-permissions":
                    settings = settings with { DenySkipPermissions = true };
                    break;
                case "--default-model":
                    settings = settings with { DefaultModel = Value() };
                    break;
                case "--log-file":
                    settings = settings with { LogFile = Path.GetFullPath(Value()) };
                    break;
                case "--verbose":
                    settings = settings with { Verbose = true };
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'. See --help for the options.");
            }
        }
        return settings with { AllowedDirectories = allowed };
    }

    private static int WholeNumber(string flag, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{flag} takes a whole number from {min} to {max}, not '{text}'.");

    private static double Dollars(string flag, string text) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value > 0
            ? value
            : throw new ArgumentException($"{flag} takes a number of US dollars above 0, such as 20 or 7.50, not '{text}'.");

    private static (string Flag, string? Inline) Split(string arg)
    {
        var eq = arg.IndexOf('=');
        return arg.StartsWith("--", StringComparison.Ordinal) && eq > 2 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }
}
