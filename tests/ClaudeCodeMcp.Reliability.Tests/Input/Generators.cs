using CsCheck;

namespace ClaudeCodeMcp.Reliability.Tests.Input;

/// <summary>One generated input: a tool call (name and arguments) or a raw line of bytes.</summary>
public sealed record FuzzCase(string? Tool, J? Arguments, byte[]? Raw, string Kind)
{
    public override string ToString()
    {
        var text = Raw is not null ? "raw " + System.Text.Encoding.UTF8.GetString(Raw) : $"{Tool} {Arguments}";
        return $"[{Kind}] " + (text.Length > 400 ? text[..400] + $"… ({text.Length} chars)" : text);
    }
}

/// <summary>Generators of hostile tool arguments and JSON-RPC lines (CsCheck).</summary>
public sealed class Generators(string workDir, string linkOut, Func<IReadOnlyList<string>> knownIds)
{
    public static readonly string[] Tools =
    [
        "claude_code_execute_async", "claude_code_execute", "claude_code_check_result", "claude_code_wait",
        "claude_code_list_tasks", "claude_code_cancel", "claude_code_get_output",
    ];

    /// <summary>Strings that have broken command lines, parsers and paths before.</summary>
    private static readonly string[] Nasty =
    [
        "", " ", "\t", "-", "--", "-p", "--print", "--dangerously-skip-permissions", "--dangerously-skip-permissions=true",
        "--permission-mode=bypassPermissions", "--permission-mode", "bypassPermissions", "--model=evil", "--model", "evil --model x",
        "=", "==", "a=b", "--=", "-=-", "--allowedTools=Bash", "--resume=x", "--mcp-config=/tmp/x.json", "--add-dir=/",
        "\0", "a\0b", "\0--dangerously-skip-permissions", "\n", "\r\n", "x\n--dangerously-skip-permissions", "x\r--model=y",
        "$(touch pwned)", "`id`", "; rm -rf ~", "| cat /etc/passwd", "&& echo hi", "'", "\"", "\\", "\\\"", "%s%n%x", "{{x}}", "${HOME}",
        "../../etc/passwd", "..", ".", "/", "//", "/etc", "/proc/self/root", "~", "~root", "C:\\Windows", "\\\\server\\share",
        "\u202e", "\ufeff", "\u200b", "😀", "\ud800", "\udfff", "a\ud800b", "\u0085", "\u2028", "\u00a0", "ｄｅｆａｕｌｔ",
        "default", "acceptEdits", "plan", "auto", "dontAsk", "manual", "BypassPermissions", " bypassPermissions", "bypassPermissions\n",
        "sonnet", "opus", "claude-sonnet-4-5", "opus[1m]", "a:b/c@d", "x-y_z.1", "Read", "Bash(git log:*)", "mcp__server__tool",
        "Read,Write", "Bash --dangerously-skip-permissions", "Bash(rm -rf /*)", "Edit Write", "all", "any", "ALL", "queued",
        "running", "completed", "failed", "cancelled", "timed_out", "abcdefgh", "ABCDEFGH", " abcdefgh ", "abcdefg", "abcdefghj",
        "abcdefg0", "00000000-0000-4000-8000-000000000000", "null", "true", "0", "-1", "NaN", "Infinity", "1e400",
    ];

    private static readonly string[] Numbers =
    [
        "0", "-0", "1", "-1", "2", "3", "7", "60", "0.5", "1.5", "-1.5", "0.001", "1e-5", "1e-320", "5e-324", "86400", "86400.001", "2592000", "2592000.001",
        "3600", "3601", "1000000", "1000001", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967296",
        "9007199254740993", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "123456789012345678901234567890", "1e308", "1.7976931348623157e308", "1e309", "1e400", "-1e400", "0.1", "1e2", "1E+2", "10.0",
    ];

    /// <summary>A generator of one value (Gen.Const is ambiguous for null).</summary>
    private static Gen<T> Always<T>(T value) => Gen.Int[0, 0].Select(_ => value);

    private Gen<string> NastyString => Gen.Int[0, Nasty.Length - 1].Select(i => Nasty[i]);

    private static Gen<string> Chars(string alphabet, int max) => Gen.Char[alphabet].Array[0, max].Select(a => new string(a));

    /// <summary>Random text: nasty constants, random unicode, flag-shaped text, and now and then a huge string.</summary>
    public Gen<string> Text => Gen.Frequency(
        (6, NastyString),
        (3, Gen.String[0, 30]),
        (2, Chars("-= \n\r\t\0/.:@[]'\"\\$`;|&abcdefghjkmnpqrstuvwxyz23456789ABC", 40)),
        (2, Gen.Select(NastyString, Gen.String[0, 8], (a, b) => "--" + b + "=" + a)),
        (1, Gen.Select(NastyString, NastyString, (a, b) => a + b)),
        (1, Gen.Int[0, 3].Select(i => i switch
        {
            0 => new string('x', 100_000),
            1 => string.Concat(Enumerable.Repeat("--dangerously-skip-permissions ", 10_000)),
            2 => new string('\n', 50_000),
            _ => string.Concat(Enumerable.Repeat("😀\u202e\0", 30_000)),
        })));

    private Gen<J> Number => Gen.Frequency(
        (3, Gen.Int[0, Numbers.Length - 1].Select(i => J.Num(Numbers[i]))),
        (1, Gen.Long.Select(J.Num)),
        (1, Gen.Double.Select(d => double.IsFinite(d) ? J.Num(d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)) : J.Null)));

    /// <summary>Any JSON value of any type, nested a little.</summary>
    public Gen<J> AnyValue => Gen.Frequency(
        (3, Text.Select(J.Str)),
        (2, Number),
        (1, Gen.Int[0, 2].Select(i => i switch { 0 => J.True, 1 => J.False, _ => J.Null })),
        (1, Text.Array[0, 3].Select(a => (J)new JArr(a.Select(J.Str).ToArray()))),
        (1, Gen.Select(Text, Number, (k, v) => (J)new JObj([(k, v), ("nested", new JObj([("deeper", new JArr([v, J.Str(k)]))]))]))),
        (1, Gen.Int[1, 3].Select(i => Deep(i == 1 ? 63 : i == 2 ? 64 : 2_000))));

    private static J Deep(int depth)
    {
        J value = J.Num("1");
        for (var i = 0; i < depth; i++) value = new JArr([value]);
        return value;
    }

    /// <summary>A value meant for a parameter of one type: usually that type, hostile within it; sometimes any type.</summary>
    private Gen<J> For(string type) => Gen.Frequency(
        (5, type switch
        {
            "string" => Text.Select(J.Str),
            "strings" => Gen.Frequency((4, Text.Array[0, 4]), (1, Text.Array[20, 40])).Select(a => (J)new JArr(a.Select(J.Str).ToArray())),
            "integer" or "number" => Number,
            "boolean" => Gen.Bool.Select(b => b ? J.True : J.False),
            "task_id" => Gen.Frequency((2, Gen.Int[0, 1].Select(_ => PickKnown())), (3, Text)).Select(J.Str),
            "task_ids" => Gen.Frequency((2, Gen.Int[0, 1].Select(_ => PickKnown())), (3, Text)).Array[0, 4].Select(a => (J)new JArr(a.Select(J.Str).ToArray())),
            "working_dir" => Gen.Frequency(
                (10, Always(workDir)),
                (1, Gen.Int[0, 9].Select(i => i switch
                {
                    0 => workDir + "/",
                    1 => workDir + "/.",
                    2 => workDir + "/../work",
                    3 => workDir + "/..",
                    4 => linkOut,
                    5 => linkOut + "/..",
                    6 => workDir + "/no-such-folder",
                    7 => "work",
                    8 => workDir + "\0",
                    _ => Path.GetTempPath(),
                })),
                (1, Text)).Select(J.Str),
            _ => throw new ArgumentException(type),
        }),
        (1, AnyValue));

    private string PickKnown()
    {
        var ids = knownIds();
        return ids.Count == 0 ? "abcdefgh" : ids[Random.Shared.Next(ids.Count)];
    }

    private static readonly (string Name, string Type)[] ExecuteParams =
    [
        ("prompt", "string"), ("working_dir", "working_dir"), ("model", "string"), ("skip_permissions", "boolean"),
        ("timeout", "number"), ("permission_mode", "string"), ("allowed_tools", "strings"), ("disallowed_tools", "strings"),
        ("max_turns", "integer"), ("max_budget_usd", "number"), ("resume_session_id", "string"), ("append_system_prompt", "string"),
        ("name", "string"),
    ];

    private static (string Name, string Type)[] ParamsOf(string tool) => tool switch
    {
        "claude_code_execute_async" or "claude_code_execute" => ExecuteParams,
        "claude_code_check_result" or "claude_code_cancel" => [("task_id", "task_id")],
        "claude_code_get_output" => [("task_id", "task_id"), ("offset", "integer"), ("max_chars", "integer")],
        "claude_code_wait" => [("task_ids", "task_ids"), ("return_when", "string"), ("timeout", "number")],
        "claude_code_list_tasks" => [("status", "string"), ("limit", "integer")],
        _ => [("x", "string")],
    };

    /// <summary>Arguments for a tool: each parameter present or not, hostile; sometimes extras, duplicates or not an object at all.</summary>
    private Gen<J> ArgumentsFor(string tool)
    {
        var parameters = ParamsOf(tool);
        var required = parameters[0].Name is "prompt" or "task_id";
        var members = parameters.Select(p => Gen.Frequency(
                (p.Name == "prompt" ? 1 : 3, Always<(string, J)?>(null)), // left out
                (p.Name is "prompt" or "working_dir" || required ? 12 : 2, For(p.Type).Select(v => ((string, J)?)(p.Name, v)))))
            .ToArray();
        var body = Always(new List<(string, J)>());
        foreach (var member in members)
        {
            body = body.SelectMany<List<(string, J)>, List<(string, J)>>(list => member.Select(m =>
            {
                var next = new List<(string, J)>(list);
                if (m is { } given) next.Add(given);
                return next;
            }));
        }
        return Gen.Frequency(
            (20, body.Select(list => (J)new JObj([.. list]))),
            (2, Gen.Select(body, Text, AnyValue, (list, key, value) => (J)new JObj([.. list, (key, value)]))), // an unknown extra
            (2, Gen.Select(body, Gen.Int[0, parameters.Length - 1], AnyValue,
                (list, i, value) => (J)new JObj([.. list, (parameters[i].Name, value)]))), // a duplicate, last wins
            (1, AnyValue)); // not an object
    }

    private static readonly string[] Models =
        ["sonnet", "opus", "claude-sonnet-4-5", "opus[1m]", "a:b/c@d", "x-y_z.1", "a--dangerously-skip-permissions", "haiku@2024", " ", "",
         "sonnet=--dangerously-skip-permissions", "sonnet --dangerously-skip-permissions", "-sonnet", new string('m', 200), new string('m', 201)];
    private static readonly string[] Modes = ["default", "acceptEdits", "plan", "auto", "dontAsk", "bypassPermissions", "manual", " ", "nope"];
    private static readonly string[] ToolNames =
        ["Read", "Write", "Bash(git log:*)", "Bash --dangerously-skip-permissions", "Read,Write", "Bash(rm -rf /*)", "x=--model=evil",
         "mcp__server__tool", "Edit\t--permission-mode=bypassPermissions", "😀", "Bash(echo $(id))", "a\rb", "--dangerously-skip-permissions", "x\ny"];
    private static readonly string[] Sessions =
        ["00000000-0000-4000-8000-000000000000", "abc", "a--b", "x:y/z@w", new string('s', 200), " ", "--resume", "s=--dangerously-skip-permissions"];
    private static readonly string[] Budgets = ["0.01", "1.5", "1e-5", "0.1", "999999.99", "1000000", "7", "0.3333333333333333"];

    private static Gen<J> Pick(string[] values) => Gen.Int[0, values.Length - 1].Select(i => J.Str(values[i]));

    /// <summary>
    /// Arguments of claude_code_execute(_async) that the server may well accept (a folder it allows, plausible
    /// values), with flags and separators hidden inside every value: these are the calls that start children.
    /// </summary>
    private Gen<J> PlausibleExecute
    {
        get
        {
            Gen<(string, J)?> Maybe(string name, Gen<J> value, int present = 1, int absent = 3) =>
                Gen.Frequency((absent, Always<(string, J)?>(null)), (present, value.Select(v => ((string, J)?)(name, v))));
            var prompt = Gen.Frequency((20, Gen.Select(NastyString, Gen.String[0, 20], (a, b) => a + b)), (1, Text)).Select(J.Str);
            var members = new[]
            {
                prompt.Select(p => ((string, J)?)("prompt", p)),
                Gen.Int[0, 20].Select(i => ((string, J)?)("working_dir", J.Str(i switch { 0 => workDir + "/", 1 => workDir + "/.", 2 => linkOut, _ => workDir }))),
                Maybe("model", Pick(Models)),
                Maybe("skip_permissions", Gen.Int[0, 2].Select(i => i switch { 0 => J.True, 1 => J.False, _ => J.Null }), 2, 1),
                Maybe("permission_mode", Pick(Modes)),
                Maybe("allowed_tools", Pick(ToolNames).Array[0, 3].Select(a => (J)new JArr(a))),
                Maybe("disallowed_tools", Pick(ToolNames).Array[0, 2].Select(a => (J)new JArr(a))),
                Maybe("max_turns", Gen.Int[-1, 1000].Select(i => J.Num(i))),
                Maybe("max_budget_usd", Pick(Budgets).Select(b => J.Num(((JStr)b).Value))),
                Maybe("append_system_prompt", Gen.Frequency((5, NastyString), (1, Text)).Select(J.Str)),
                Maybe("resume_session_id", Pick(Sessions)),
                Maybe("timeout", Gen.Int[0, 2].Select(i => J.Num(i switch { 0 => "60", 1 => "3600", _ => "0.5" }))),
                Maybe("name", Text.Select(J.Str)),
                Maybe("working_directory", Always(J.Str(workDir)), 1, 12), // the natural slip for working_dir: refused, never run elsewhere
            };
            var body = Always(new List<(string, J)>());
            foreach (var member in members)
            {
                body = body.SelectMany<List<(string, J)>, List<(string, J)>>(list => member.Select(m =>
                {
                    var next = new List<(string, J)>(list);
                    if (m is { } given) next.Add(given);
                    return next;
                }));
            }
            return body.Select(list => (J)new JObj([.. list]));
        }
    }

    public Gen<FuzzCase> ToolCall => Gen.Frequency(
            (12, Gen.Int[0, Tools.Length - 1].Select(i => Tools[i])),
            (1, Text))
        .SelectMany(tool => (tool is "claude_code_execute" or "claude_code_execute_async"
                ? Gen.Frequency((2, ArgumentsFor(tool)), (1, PlausibleExecute))
                : ArgumentsFor(tool))
            .Select(args => new FuzzCase(tool, args, null, "tool " + ShortName(tool))));

    private static string ShortName(string tool) => Tools.Contains(tool) ? tool["claude_code_".Length..] : "unknown";

    private static readonly string[] Methods =
    [
        "ping", "tools/list", "tools/call", "initialize", "notifications/initialized", "notifications/cancelled", "notifications/progress",
        "resources/list", "resources/templates/list", "resources/read", "prompts/list", "logging/setLevel", "completion/complete",
        "server/discover", "tasks/get", "", "TOOLS/LIST", "tools/call\0", "rpc.discover", "$/cancelRequest",
    ];

    private Gen<J> RawId => Gen.Frequency(
        (4, Gen.Int.Select(i => J.Str($"r-{i}"))),
        (1, Gen.Int[0, 7].Select(i => i switch
        {
            0 => J.Num("-5"),
            1 => J.Num("1.5"),
            2 => J.Num("1e400"),
            3 => J.Num("99999999999999999999999"),
            4 => J.True,
            5 => J.Null,
            6 => (J)new JObj([("a", J.Num("1"))]),
            _ => new JArr([J.Num("1")]),
        })));

    private Gen<J> RawParams => Gen.Frequency(
        (3, Gen.Select(Gen.Frequency((4, Gen.Int[0, Tools.Length - 1].Select(i => Tools[i])), (1, Text)), AnyValue,
            (name, args) => (J)new JObj([("name", J.Str(name)), ("arguments", args)]))),
        (2, AnyValue),
        (1, Gen.Select(Text, AnyValue, (k, v) => (J)new JObj([("requestId", J.Str(k)), ("progressToken", v), ("cursor", J.Str(k)), ("uri", J.Str(k)), ("protocolVersion", J.Str(k))]))));

    /// <summary>A request-shaped object with every field possibly of the wrong type or missing.</summary>
    private Gen<string> RequestLine => Gen.Select(
        Gen.Frequency((8, Always<J?>(J.Str("2.0"))), (1, Always<J?>(J.Str("1.0"))), (1, Always<J?>(J.Num("2"))), (1, Always<J?>(null))),
        Gen.Frequency((5, RawId.Select(i => (J?)i)), (1, Always<J?>(null))),
        Gen.Frequency((6, Gen.Int[0, Methods.Length - 1].Select(i => (J?)J.Str(Methods[i]))), (1, AnyValue.Select(v => (J?)v)), (1, Always<J?>(null))),
        Gen.Frequency((5, RawParams.Select(p => (J?)p)), (1, Always<J?>(null))),
        (jsonrpc, id, method, parameters) =>
        {
            var members = new List<(string, J)>();
            if (jsonrpc is not null) members.Add(("jsonrpc", jsonrpc));
            if (id is not null) members.Add(("id", id));
            if (method is not null) members.Add(("method", method));
            if (parameters is not null) members.Add(("params", parameters));
            return new JObj([.. members]).ToString();
        });

    public Gen<FuzzCase> RawLine => Gen.Frequency(
        (6, RequestLine.Select(line => Raw(line, "raw request"))),
        (2, Gen.Select(RequestLine, Gen.Double[0, 1], (line, cut) => Raw(line[..(int)(line.Length * cut)], "raw truncated"))),
        (1, Gen.Select(RequestLine, RequestLine, (a, b) => Raw($"[{a},{b}]", "raw batch"))),
        (1, Gen.Select(RequestLine, Text, (a, b) => Raw(a + b, "raw trailing garbage"))),
        (1, Gen.Select(RawId, AnyValue, (id, v) => Raw(new JObj([("jsonrpc", J.Str("2.0")), ("id", id), ("result", v)]).ToString(), "raw response"))),
        (1, Text.Select(t => Raw(t.Replace("\n", " ").Replace("\r", " "), "raw text"))),
        (1, Gen.Int[1, 4].Select(i => Raw(i switch
        {
            1 => new string('[', 100_000),
            2 => """{"jsonrpc":"2.0","id":"r-deep","method":"tools/call","params":""" + new string('[', 50_000) + new string(']', 50_000) + "}",
            3 => """{"jsonrpc":"2.0","id":"r-big","method":"ping","params":{"x":" """ + new string('a', 2_000_000) + "\"}}",
            _ => "{" + string.Concat(Enumerable.Repeat("\"a\":1,", 100_000)) + "\"b\":2}",
        }, "raw huge or deep"))),
        (1, Gen.Byte.Array[1, 64].Select(b => new FuzzCase(null, null, b.Where(x => x != (byte)'\n').ToArray(), "raw bytes"))));

    private static FuzzCase Raw(string line, string kind) => new(null, null, System.Text.Encoding.UTF8.GetBytes(line.Replace("\n", "\\n")), kind);

    /// <summary>All cases: mostly tool calls, the rest raw lines.</summary>
    public Gen<FuzzCase> Any => Gen.Frequency((7, ToolCall), (3, RawLine));
}
