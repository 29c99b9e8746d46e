using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Options;
using ClaudeCodeMcp.Engine.Store;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Reliability.Tests.Load;
using ClaudeCodeMcp.Reliability.Tests.Support;
using CsCheck;
using Xunit.Abstractions;

namespace ClaudeCodeMcp.Reliability.Tests.Input;

/// <summary>
/// Property-based fuzzing of the standalone host over stdio: generated arguments for the tools and raw
/// JSON-RPC lines. The host never crashes, never writes anything but JSON-RPC to stdout, refuses what its
/// policy refuses, and never starts a child with a flag smuggled in: every child that starts is a recorder
/// that writes down its argv and prompt, and each argv must be exactly what the accepted arguments ask for.
/// </summary>
[Collection(Heavy.Name)]
public sealed class HostileInputTests(ITestOutputHelper output)
{
    private static readonly string[] Prefix = ["-p", "--output-format", "stream-json", "--verbose"];
    private static readonly Regex Marker = new(@"\n#case-(\d+)$", RegexOptions.CultureInvariant);

    private sealed record Accepted(int Case, string TaskId, string Prompt, List<string> Argv, string Description);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Generated_tool_calls_and_raw_lines_never_crash_the_host_never_pollute_stdout_and_never_smuggle_a_flag(bool denySkipPermissions)
    {
        var iterations = Soak.FuzzCases / 2;
        await using var sandbox = new Sandbox();
        var linkOut = Path.Combine(sandbox.WorkDir, "link-out");
        Directory.CreateSymbolicLink(linkOut, sandbox.Home);
        var realWork = Native.RealPath(sandbox.WorkDir)!;
        var recorder = new ArgvRecorder(sandbox);
        var flags = new List<string> { "--claude-path", recorder.Path, "--allowed-dir", sandbox.WorkDir, "--throttle-limit", "4" };
        if (denySkipPermissions) flags.Add("--deny-skip-permissions");
        await using var host = await RawHost.StartAsync(sandbox, [.. flags]);

        var known = new List<string>();
        var accepted = new ConcurrentDictionary<int, Accepted>();
        var kinds = new ConcurrentDictionary<string, int>();
        var rpcErrorCodes = new ConcurrentDictionary<int, int>();
        int caseNo = 0, toolErrors = 0;
        var clock = Stopwatch.StartNew();
        var generators = new Generators(sandbox.WorkDir, linkOut, () =>
        {
            lock (known) return [.. known];
        });

        await Check.SampleAsync(generators.Any, async c =>
        {
            var n = Interlocked.Increment(ref caseNo);
            kinds.AddOrUpdate(c.Kind, 1, (_, k) => k + 1);
            if (c.Raw is { } raw)
            {
                await host.SendLineAsync(raw);
                var pong = await host.RequestAsync("ping");
                Assert.True(pong.TryGetProperty("result", out _), $"no pong after {c}: {pong}");
                return;
            }
            var arguments = c.Arguments!;
            var execute = c.Tool is "claude_code_execute" or "claude_code_execute_async";
            string? prompt = null;
            if (execute && arguments is JObj o && o["prompt"] is JStr { Value: var p } && !string.IsNullOrWhiteSpace(p) && !p.Contains('\0'))
            {
                prompt = p + $"\n#case-{n}";
                var last = Array.FindLastIndex(o.Members, m => m.Name == "prompt");
                var members = o.Members.ToArray();
                members[last] = ("prompt", J.Str(prompt));
                arguments = new JObj(members);
            }
            var request = new JObj([("name", J.Str(c.Tool!)), ("arguments", arguments)]).ToString();
            var answer = await host.RequestAsync(host.NextId("f"), id => $$"""{"jsonrpc":"2.0","id":"{{id}}","method":"tools/call","params":{{request}}}""");
            var hasResult = answer.TryGetProperty("result", out var result);
            Assert.True(hasResult || answer.TryGetProperty("error", out _), $"neither result nor error for {c}: {answer}");
            if (!hasResult)
            {
                var code = answer.GetProperty("error").GetProperty("code").GetInt32();
                rpcErrorCodes.AddOrUpdate(code, 1, (_, k) => k + 1);
            }
            else if (result.IsError()) Interlocked.Increment(ref toolErrors);
            if (!execute) return;

            var taskId = hasResult ? result.StructuredOrNull().Str("task_id") : null;
            var refusal = MustRefuse(arguments, denySkipPermissions, realWork);
            Assert.True(taskId is null || refusal is null, $"accepted although {refusal}: {c}");
            if (taskId is null) return;
            lock (known) known.Add(taskId);
            accepted[n] = new Accepted(n, taskId, prompt!, ExpectedArgv((JObj)arguments, denySkipPermissions), c.ToString());
        }, iter: iterations, threads: 1, print: c => c.ToString());
        var generatedIn = clock.Elapsed;

        // The host is still there and still answers.
        Assert.False(host.Process.HasExited, "the host died: " + host.Stderr);
        var ping = await host.RequestAsync("ping");
        Assert.True(ping.TryGetProperty("result", out _), ping.ToString());
        var tools = await host.RequestAsync("tools/list");
        Assert.Equal(8, tools.GetProperty("result").GetProperty("tools").GetArrayLength());

        // Every task that was accepted ends (they are quick), then the recorded starts are checked one by one.
        var records = (await Until.AllFinishedAsync(sandbox.StateDir, accepted.Count, TimeSpan.FromSeconds(120))).ToDictionary(r => r.Id);
        var starts = recorder.Starts();
        var startsPerCase = new Dictionary<int, int>();
        foreach (var (argv, stdin) in starts)
        {
            Assert.DoesNotContain(argv, a => a.Contains("#case-", StringComparison.Ordinal)); // the prompt never reaches argv
            if (denySkipPermissions)
            {
                Assert.DoesNotContain("--dangerously-skip-permissions", argv);
                Assert.DoesNotContain("--permission-mode=bypassPermissions", argv);
            }
            var match = Marker.Match(stdin);
            Assert.True(match.Success, $"a child started with a prompt no accepted call sent: {Show(stdin)} argv {string.Join(" ", argv)}");
            var n = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.True(accepted.TryGetValue(n, out var a), $"case {n} started a child but was not accepted");
            Assert.Equal(Utf8(a!.Prompt), stdin);
            Assert.Equal(Prefix, argv.Take(Prefix.Length));
            Assert.True(a.Argv.Order(StringComparer.Ordinal).SequenceEqual(argv.Order(StringComparer.Ordinal)),
                $"case {n}: argv {Show(string.Join(" | ", argv))}\nexpected {Show(string.Join(" | ", a.Argv))}\nfor {a.Description}");
            startsPerCase[n] = startsPerCase.GetValueOrDefault(n) + 1;
        }
        foreach (var a in accepted.Values)
        {
            var count = startsPerCase.GetValueOrDefault(a.Case);
            Assert.True(count <= 1, $"case {a.Case} started {count} children");
            var state = records[a.TaskId].State;
            if (state is ClaudeTaskState.Completed) Assert.True(count == 1, $"case {a.Case} completed without a recorded start");
        }

        host.AssertOnlyJsonRpc();
        Assert.DoesNotContain("Unhandled exception", host.Stderr);
        var summary = string.Join(", ", kinds.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"));
        output.WriteLine(FormattableString.Invariant(
            $"deny={denySkipPermissions}: {caseNo} cases in {generatedIn.TotalSeconds:0.0} s ({summary}); tool isError {toolErrors}, JSON-RPC errors {string.Join(", ", rpcErrorCodes.OrderBy(k => k.Key).Select(k => $"{k.Key}: {k.Value}"))}; accepted {accepted.Count}, children started {starts.Count}; stdout lines {host.StdoutLines.Count}, unmatched answers {host.Unmatched}"));
    }

    /// <summary>Why the server must refuse these arguments of claude_code_execute(_async), or null when it may accept them.</summary>
    private static string? MustRefuse(J arguments, bool deny, string realWork)
    {
        if (arguments is not JObj o) return "the arguments are not an object";
        if (o["prompt"] is not JStr { Value: var prompt }) return "the prompt is missing or not a string";
        if (string.IsNullOrWhiteSpace(prompt) || prompt.Contains('\0')) return "the prompt is empty or has a NUL";
        var dir = o["working_dir"] switch
        {
            null or JRaw { Raw: "null" } => null,
            JStr s => s.Value,
            _ => "\0wrong type",
        };
        if (string.IsNullOrWhiteSpace(dir)) return "no working_dir: the host's own folder is outside --allowed-dir";
        if (dir.Contains('\0') || !Path.IsPathRooted(dir)) return "working_dir is not a usable absolute path";
        // `..` is read from the text first, then links (as the product does, Boundaries/WorkingDirTests): link-out/.. is the
        // allowed folder itself, and the child runs there.
        var real = Native.RealPath(Path.GetFullPath(dir));
        if (real is null) return "working_dir does not exist";
        if (real != realWork && !real.StartsWith(realWork + "/", StringComparison.Ordinal)) return $"working_dir resolves to {real}, outside --allowed-dir";
        foreach (var (name, value) in o.Members)
        {
            var type = name switch
            {
                "prompt" or "working_dir" or "model" or "permission_mode" or "resume_session_id" or "append_system_prompt" or "name" => "string",
                "skip_permissions" => "boolean",
                "timeout" or "max_budget_usd" => "number",
                "max_turns" => "integer",
                "allowed_tools" or "disallowed_tools" => "array",
                _ => null,
            };
            if (type is null && name is not ("isolation" or "base_ref" or "commit")) return $"{name} is not an argument of the tool";
            if (type is null || value is JRaw { Raw: "null" } && name != "prompt") continue;
            var fits = type switch
            {
                "string" => value is JStr,
                "boolean" => value is JRaw { Raw: "true" or "false" },
                "number" => value is JRaw r && IsNumber(r.Raw),
                "integer" => value is JRaw r && int.TryParse(r.Raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
                _ => value is JArr a && a.Items.All(i => i is JStr),
            };
            if (!fits && o.Members.Last(m => m.Name == name).Value == value) return $"{name} is not {type}: {value}";
        }
        if (o["resume_session_id"] is JStr { Value: var session } && !string.IsNullOrWhiteSpace(session) && !Guid.TryParseExact(session.Trim(), "D", out _))
            return "resume_session_id is not a session id (a UUID)";
        if (o["name"] is JStr { Value: { Length: > TaskLimits.MaxNameChars } longName } && !string.IsNullOrWhiteSpace(longName)) return "the name is over 200 characters";
        if (deny && o["skip_permissions"] is JRaw { Raw: "true" }) return "skip_permissions under --deny-skip-permissions";
        if (deny && o["permission_mode"] is JStr { Value: "bypassPermissions" }) return "bypassPermissions under --deny-skip-permissions";
        if (o["timeout"] is JRaw t && IsNumber(t.Raw) && double.Parse(t.Raw, CultureInfo.InvariantCulture) is var seconds && (seconds <= 0 || seconds > TaskOptionRules.Timeout.Maximum))
            return "timeout out of range";
        if (o["max_turns"] is JRaw m && int.TryParse(m.Raw, CultureInfo.InvariantCulture, out var turns) && turns <= 0) return "max_turns below 1";
        return null;
    }

    private static bool IsNumber(string raw) => raw.Length > 0 && (char.IsAsciiDigit(raw[0]) || raw[0] == '-');

    /// <summary>Exactly the argv an accepted call must produce: one <c>--flag=value</c> token per value, nothing else.</summary>
    private static List<string> ExpectedArgv(JObj o, bool deny)
    {
        string? Str(string name) => o[name] switch
        {
            null or JRaw { Raw: "null" } => null,
            JStr s => s.Value,
            var other => throw new Xunit.Sdk.XunitException($"{name} was accepted as {other}"),
        };
        string? Raw(string name) => o[name] switch
        {
            null or JRaw { Raw: "null" } => null,
            JRaw r => r.Raw,
            var other => throw new Xunit.Sdk.XunitException($"{name} was accepted as {other}"),
        };
        IEnumerable<string> List(string name) => o[name] switch
        {
            null or JRaw { Raw: "null" } => [],
            JArr a => a.Items.Select(i => ((JStr)i).Value),
            var other => throw new Xunit.Sdk.XunitException($"{name} was accepted as {other}"),
        };
        var argv = new List<string>(Prefix);
        if (Str("model") is { } model && !string.IsNullOrWhiteSpace(model)) argv.Add($"--model={model}");
        if (Str("permission_mode") is { } mode && !string.IsNullOrWhiteSpace(mode))
            argv.Add($"--permission-mode={TaskOptionRules.PermissionMode.Choice(mode) ?? mode}"); // names match without regard to case
        if (Raw("skip_permissions") is { } skip ? skip == "true" : !deny) argv.Add("--dangerously-skip-permissions");
        argv.AddRange(List("allowed_tools").Select(t => $"--allowedTools={t}"));
        argv.AddRange(List("disallowed_tools").Select(t => $"--disallowedTools={t}"));
        if (Raw("max_turns") is { } turns) argv.Add($"--max-turns={int.Parse(turns, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)}");
        if (Raw("max_budget_usd") is { } budget)
            argv.Add($"--max-budget-usd={((decimal)double.Parse(budget, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture)}");
        if (Str("append_system_prompt") is { } system) argv.Add($"--append-system-prompt={system}");
        if (Str("resume_session_id") is { } session && !string.IsNullOrWhiteSpace(session)) argv.Add($"--resume={session}");
        return argv;
    }

    /// <summary>The text as it arrives through a UTF-8 pipe (a lone surrogate becomes U+FFFD).</summary>
    private static string Utf8(string text) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));

    private static string Show(string text) => JsonSerializer.Serialize(text.Length > 300 ? text[..300] + "…" : text);
}
