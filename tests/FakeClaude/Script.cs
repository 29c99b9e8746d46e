using System.Globalization;
using System.Text.Json;

namespace FakeClaude;

/// <summary>A malformed directive: the fake reports it on stderr and exits 2.</summary>
internal sealed class ScriptException(string message) : Exception(message);

/// <summary>One prompt line whose trimmed text starts with <c>fake:</c>, e.g. <c>fake:sleep 200</c>.</summary>
internal sealed record Directive(string Name, string Argument, string Line)
{
    private const string Prefix = "fake:";

    public static List<Directive> ParseAll(string prompt)
    {
        var directives = new List<Directive>();
        foreach (string rawLine in prompt.Split('\n'))
        {
            string line = rawLine.Trim();
            if (!line.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            string body = line[Prefix.Length..];
            int space = body.IndexOfAny([' ', '\t']);
            directives.Add(space < 0
                ? new Directive(body, "", line)
                : new Directive(body[..space], body[(space + 1)..].TrimStart(), line));
        }
        return directives;
    }

    /// <summary>The argument split on whitespace.</summary>
    public string[] Words => Argument.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The argument's first word and the rest of the line after it.</summary>
    public (string First, string Remainder) SplitFirst()
    {
        int space = Argument.IndexOfAny([' ', '\t']);
        return space < 0 ? (Argument, "") : (Argument[..space], Argument[(space + 1)..].TrimStart());
    }

    public int Int(string text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
        ? value
        : throw new ScriptException($"'{Line}': '{text}' is not an integer");
}

/// <summary>Runs the directives of a prompt in order (or the default echo run when there are none).</summary>
internal sealed class Script(string prompt, string[] argv, StreamJson events, Stdout stdout)
{
    /// <summary>Runs the script; returns the exit code (or never returns when a directive ends the process).</summary>
    public int Run()
    {
        var directives = Directive.ParseAll(prompt);
        bool stay = directives.Any(d => d.Name == "stay");
        events.Init();

        if (directives.Count == 0)
        {
            events.AssistantText(prompt);
            events.Result("success", false, prompt, "completed");
            return End(0, stay);
        }

        string lastText = "done";
        bool noResult = false;
        foreach (var d in directives)
        {
            switch (d.Name)
            {
                case "text":
                    events.AssistantText(d.Argument);
                    lastText = d.Argument;
                    break;
                case "tool":
                {
                    var (name, json) = d.SplitFirst();
                    events.ToolResult(events.ToolUse(RequireName(d, name), ParseObject(d, json)));
                    break;
                }
                case "tool-start":
                    events.ToolUse(RequireName(d, d.SplitFirst().First), null);
                    break;
                case "sleep":
                    Thread.Sleep(d.Int(d.Argument));
                    break;
                case "wait-for":
                    WaitFor(d.Argument);
                    break;
                case "cost":
                    events.TotalCostUsd = double.TryParse(d.Argument, NumberStyles.Float, CultureInfo.InvariantCulture, out double usd)
                        ? usd
                        : throw new ScriptException($"'{d.Line}': '{d.Argument}' is not a number");
                    break;
                case "denied":
                    events.AddDenial(RequireName(d, d.Argument));
                    break;
                case "result":
                    events.Result("success", false, d.Argument, "completed");
                    return End(0, stay);
                case "structured":
                {
                    // fake:structured <json>: as the CLI with --json-schema, the model calls the StructuredOutput tool and
                    // the run ends; the result event carries the JSON as its result text and as structured_output.
                    var value = ParseObject(d, d.Argument) ?? throw new ScriptException($"'{d.Line}': fake:structured needs a JSON object");
                    events.ToolUse("StructuredOutput", value);
                    events.StructuredOutput = value;
                    events.Result("success", false, d.Argument, "completed");
                    return End(0, stay);
                }
                case "api-error":
                {
                    var (status, text) = d.SplitFirst();
                    int code = d.Int(status);
                    events.Result("success", true, $"API Error: {code} {text}", "api_error", apiErrorStatus: code);
                    return End(1, stay);
                }
                case "fail-runs":
                {
                    // fake:fail-runs <n> <status> [retry_delay_ms]: the session's first n runs end as the real CLI ends
                    // when an API error outlasts its own retries (a result with api_error_status, exit 1); with a delay,
                    // an api_retry event first, as when it retried with the API's retry-after. Later runs (resumed with
                    // --resume, see Sessions) go on with the next directive.
                    var words = d.Words;
                    if (words.Length < 2) throw new ScriptException($"'{d.Line}': fake:fail-runs needs a count and a status");
                    int status = d.Int(words[1]);
                    if (Sessions.Run > d.Int(words[0])) break;
                    if (words.Length > 2) events.ApiRetry(status, d.Int(words[2]));
                    events.Result("success", true, $"API Error: {status} fake:fail-runs (run {Sessions.Run})", "api_error", apiErrorStatus: status);
                    return End(1, stay);
                }
                case "max-turns":
                {
                    int turns = d.Int(d.Argument);
                    events.Result("error_max_turns", true, null, "max_turns", errors: [$"Reached maximum number of turns ({turns})"]);
                    return End(1, stay);
                }
                case "error-result":
                {
                    var (subtype, text) = d.SplitFirst();
                    events.Result(subtype, true, text, "completed");
                    return End(1, stay);
                }
                case "no-result":
                    noResult = true;
                    break;
                case "exit":
                    Environment.Exit(d.Int(d.Argument));
                    break;
                case "stderr":
                    Stderr.WriteLine(d.Argument);
                    break;
                case "raw":
                    stdout.WriteRaw(d.Argument);
                    break;
                case "garbage":
                    stdout.WriteRaw("this is not json {");
                    stdout.WriteRaw("");
                    stdout.WriteRaw("[1,2,3]");
                    stdout.WriteRaw("""{"type":"mystery_event","zzz":{"a":[1,{"b":null}]},"subtype":"whatever"}""");
                    break;
                case "huge":
                    events.AssistantHugeText(long.TryParse(d.Argument, CultureInfo.InvariantCulture, out long bytes) && bytes >= 0
                        ? bytes
                        : throw new ScriptException($"'{d.Line}': '{d.Argument}' is not a byte count"));
                    break;
                case "signal":
                    Native.KillSelf(d.Int(d.Argument));
                    break;
                case "ignore-sigterm":
                    Signals.IgnoreSigterm();
                    break;
                case "stay":
                    break; // applied when the run ends
                case "spawn":
                    Grandchildren.Spawn(d);
                    break;
                case "write":
                {
                    // fake:write <path> <text>: writes the text and a newline to the file (relative to the working
                    // directory), making its folders, as the Write tool would.
                    var (path, text) = d.SplitFirst();
                    if (path.Length == 0) throw new ScriptException($"'{d.Line}': fake:write needs a path");
                    var full = Path.GetFullPath(path);
                    Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                    File.WriteAllText(full, text + "\n");
                    events.ToolResult(events.ToolUse("Write", JsonSerializer.SerializeToElement(new { file_path = full, content = text + "\n" })));
                    break;
                }
                case "report":
                    Report.Write(d.Argument, argv, prompt);
                    break;
                default:
                    throw new ScriptException($"'{d.Line}': unknown directive '{d.Name}'");
            }
        }

        if (!noResult) events.Result("success", false, lastText, "completed");
        return End(0, stay);
    }

    /// <summary><c>fake:wait-for &lt;path&gt;</c>: goes on once the file exists (a test's cue; at most a minute).</summary>
    private static void WaitFor(string path)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(1)) throw new ScriptException($"'fake:wait-for {path}': the file never came");
            Thread.Sleep(20);
        }
    }

    /// <summary>Exit code of the run, unless <c>fake:stay</c> keeps the process alive forever.</summary>
    private static int End(int exitCode, bool stay)
    {
        if (stay) Thread.Sleep(Timeout.Infinite);
        return exitCode;
    }

    private static string RequireName(Directive d, string name) =>
        name.Length > 0 ? name : throw new ScriptException($"'{d.Line}': a tool name is required");

    private static JsonElement? ParseObject(Directive d, string json)
    {
        if (json.Length == 0) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new ScriptException($"'{d.Line}': the tool input must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new ScriptException($"'{d.Line}': bad JSON tool input: {e.Message}");
        }
    }
}
