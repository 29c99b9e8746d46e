using System.Globalization;
using Xunit;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

public sealed class ClaudeArgumentsTests
{
    private static readonly string[] Preamble = ["-p", "--output-format", "stream-json", "--verbose"];

    private static ClaudeTaskSpec Spec(string prompt = "Say hello.") => new() { Prompt = prompt, WorkingDirectory = "/tmp" };

    private static ClaudeTaskException Rejected(ClaudeTaskSpec spec)
    {
        var validate = Assert.Throws<ClaudeTaskException>(() => ClaudeArguments.Validate(spec));
        var build = Assert.Throws<ClaudeTaskException>(() => ClaudeArguments.Build(spec));
        Assert.Equal(validate.Code, build.Code);
        return validate;
    }

    [Fact]
    public void A_bare_spec_gives_only_the_stream_json_preamble()
    {
        Assert.Equal(Preamble, ClaudeArguments.Build(Spec()));
    }

    [Fact]
    public void Every_argument_list_starts_with_print_mode_stream_json_and_verbose()
    {
        var spec = Spec() with { Model = "opus", PermissionMode = "plan", MaxTurns = 2, ResumeSessionId = "9d3c2b1a-4e5f-4a6b-8c7d-0e1f2a3b4c5d" };
        Assert.Equal(Preamble, ClaudeArguments.Build(spec).Take(4));
    }

    [Fact]
    public void Model_is_passed_as_one_flag_value_token()
    {
        var args = ClaudeArguments.Build(Spec() with { Model = "claude-sonnet-4-5" });
        Assert.Equal([.. Preamble, "--model=claude-sonnet-4-5"], args);
    }

    [Fact]
    public void Model_with_context_suffix_in_brackets_is_accepted()
    {
        var args = ClaudeArguments.Build(Spec() with { Model = "sonnet[1m]" });
        Assert.Contains("--model=sonnet[1m]", args);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("acceptEdits")]
    [InlineData("plan")]
    [InlineData("auto")]
    [InlineData("dontAsk")]
    [InlineData("bypassPermissions")]
    public void Each_permission_mode_is_passed_as_flag_value(string mode)
    {
        var args = ClaudeArguments.Build(Spec() with { PermissionMode = mode });
        Assert.Equal([.. Preamble, $"--permission-mode={mode}"], args);
    }

    [Fact]
    public void Skip_permissions_gives_dangerously_skip_permissions()
    {
        var args = ClaudeArguments.Build(Spec() with { SkipPermissions = true });
        Assert.Equal([.. Preamble, "--dangerously-skip-permissions"], args);
    }

    [Fact]
    public void Skip_permissions_off_never_adds_the_dangerous_flag()
    {
        Assert.DoesNotContain("--dangerously-skip-permissions", ClaudeArguments.Build(Spec()));
    }

    [Fact]
    public void Each_allowed_tool_gets_its_own_allowedTools_token()
    {
        var args = ClaudeArguments.Build(Spec() with { AllowedTools = ["Read", "Bash(git log:*)", "mcp__server__tool"] });
        Assert.Equal(
            [.. Preamble, "--allowedTools=Read", "--allowedTools=Bash(git log:*)", "--allowedTools=mcp__server__tool"],
            args);
    }

    [Fact]
    public void Each_disallowed_tool_gets_its_own_disallowedTools_token()
    {
        var args = ClaudeArguments.Build(Spec() with { DisallowedTools = ["Write", "Bash(rm:*)"] });
        Assert.Equal([.. Preamble, "--disallowedTools=Write", "--disallowedTools=Bash(rm:*)"], args);
    }

    [Fact]
    public void Max_turns_is_passed_as_flag_value()
    {
        var args = ClaudeArguments.Build(Spec() with { MaxTurns = 12 });
        Assert.Equal([.. Preamble, "--max-turns=12"], args);
    }

    [Fact]
    public void Max_budget_is_passed_as_flag_value()
    {
        var args = ClaudeArguments.Build(Spec() with { MaxBudgetUsd = 1.25m });
        Assert.Equal([.. Preamble, "--max-budget-usd=1.25"], args);
    }

    [Fact]
    public void Max_budget_uses_a_decimal_point_even_under_a_comma_culture()
    {
        // The test project runs with InvariantGlobalization, where de-DE may not exist; then a clone of the
        // invariant culture with de-DE's separators stands in for it.
        CultureInfo german;
        try
        {
            german = CultureInfo.GetCultureInfo("de-DE");
            if (0.5m.ToString(german) != "0,5") german = CommaCulture();
        }
        catch (CultureNotFoundException)
        {
            german = CommaCulture();
        }
        Assert.Equal("0,5", 0.5m.ToString(german)); // the stand-in really formats with a comma

        var saved = CultureInfo.CurrentCulture;
        var savedUi = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentCulture = german;
            CultureInfo.CurrentUICulture = german;
            var args = ClaudeArguments.Build(Spec() with { MaxBudgetUsd = 0.5m, MaxTurns = 1000 });
            Assert.Contains("--max-budget-usd=0.5", args);
            Assert.DoesNotContain("--max-budget-usd=0,5", args);
            Assert.Contains("--max-turns=1000", args);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            CultureInfo.CurrentUICulture = savedUi;
        }

        static CultureInfo CommaCulture()
        {
            var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            culture.NumberFormat.NumberDecimalSeparator = ",";
            culture.NumberFormat.NumberGroupSeparator = ".";
            return culture;
        }
    }

    [Fact]
    public void Append_system_prompt_with_newlines_and_quotes_is_one_token()
    {
        const string system = "Line one.\nLine \"two\" has 'quotes'.\r\n\tAnd --flags -x inside.";
        var args = ClaudeArguments.Build(Spec() with { AppendSystemPrompt = system });
        Assert.Equal([.. Preamble, "--append-system-prompt=" + system], args);
    }

    [Fact]
    public void Each_mcp_config_gets_its_own_token()
    {
        var args = ClaudeArguments.Build(Spec() with { McpConfig = ["/etc/mcp.json", "{\"mcpServers\":{}}"] });
        Assert.Equal([.. Preamble, "--mcp-config=/etc/mcp.json", "--mcp-config={\"mcpServers\":{}}"], args);
    }

    [Fact]
    public void Each_added_directory_gets_its_own_token()
    {
        var args = ClaudeArguments.Build(Spec() with { AddDirectories = ["/src/a", "/src/with space"] });
        Assert.Equal([.. Preamble, "--add-dir=/src/a", "--add-dir=/src/with space"], args);
    }

    [Fact]
    public void Resume_session_id_is_passed_as_flag_value()
    {
        var args = ClaudeArguments.Build(Spec() with { ResumeSessionId = "0b3f2a1c-7d4e-4a8b-9c2d-1e5f6a7b8c9d" });
        Assert.Equal([.. Preamble, "--resume=0b3f2a1c-7d4e-4a8b-9c2d-1e5f6a7b8c9d"], args);
    }

    [Fact]
    public void Every_option_together_gives_one_token_each_in_a_stable_order()
    {
        var spec = Spec() with
        {
            Model = "opus",
            PermissionMode = "acceptEdits",
            SkipPermissions = true,
            AllowedTools = ["Read"],
            DisallowedTools = ["Write"],
            MaxTurns = 3,
            MaxBudgetUsd = 0.75m,
            AppendSystemPrompt = "Be brief.",
            McpConfig = ["/m.json"],
            AddDirectories = ["/extra"],
            ResumeSessionId = "9d3c2b1a-4e5f-4a6b-8c7d-0e1f2a3b4c5d",
        };
        Assert.Equal(
            [
                .. Preamble,
                "--model=opus",
                "--permission-mode=acceptEdits",
                "--dangerously-skip-permissions",
                "--allowedTools=Read",
                "--disallowedTools=Write",
                "--max-turns=3",
                "--max-budget-usd=0.75",
                "--append-system-prompt=Be brief.",
                "--mcp-config=/m.json",
                "--add-dir=/extra",
                "--resume=9d3c2b1a-4e5f-4a6b-8c7d-0e1f2a3b4c5d",
            ],
            ClaudeArguments.Build(spec));
    }

    [Theory]
    [InlineData("Say hello.")]
    [InlineData("--dangerously-skip-permissions")]
    [InlineData("-p")]
    [InlineData("--model=opus")]
    public void Prompt_never_appears_in_the_arguments(string prompt)
    {
        var args = ClaudeArguments.Build(Spec(prompt));
        Assert.Equal(Preamble, args); // the prompt goes to stdin, never to the command line
    }

    [Fact]
    public void Prompt_that_looks_like_the_dangerous_flag_does_not_skip_permissions()
    {
        var args = ClaudeArguments.Build(Spec("--dangerously-skip-permissions"));
        Assert.DoesNotContain("--dangerously-skip-permissions", args);
    }

    [Fact]
    public void Values_starting_with_a_dash_never_stand_as_their_own_token()
    {
        var spec = Spec() with
        {
            AllowedTools = ["Bash(--help)"],
            AppendSystemPrompt = "--dangerously-skip-permissions",
            McpConfig = ["--strict-mcp-config"],
            AddDirectories = ["-rf"],
        };
        var args = ClaudeArguments.Build(spec);
        foreach (var arg in args.Skip(Preamble.Length))
        {
            Assert.StartsWith("--", arg);
            Assert.Contains('=', arg);
        }
        Assert.DoesNotContain("--dangerously-skip-permissions", args);
        Assert.DoesNotContain("--strict-mcp-config", args);
        Assert.DoesNotContain("-rf", args);
        Assert.Contains("--append-system-prompt=--dangerously-skip-permissions", args);
        Assert.Contains("--mcp-config=--strict-mcp-config", args);
        Assert.Contains("--add-dir=-rf", args);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n\t \r\n")]
    public void Empty_or_blank_prompt_is_refused_as_EmptyPrompt(string prompt)
    {
        var error = Rejected(Spec(prompt));
        Assert.Equal(ClaudeErrorCode.EmptyPrompt, error.Code);
        Assert.Contains("prompt", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Prompt_with_a_NUL_character_is_refused_and_says_to_remove_it()
    {
        var error = Rejected(Spec("before\0after"));
        Assert.Equal(ClaudeErrorCode.InvalidArgument, error.Code);
        Assert.Contains("NUL", error.Message);
        Assert.Contains("Remove", error.Message);
    }

    [Theory]
    [InlineData("Plan")]
    [InlineData("yolo")]
    [InlineData("")]
    [InlineData("bypass")]
    [InlineData("manual")]
    public void Unknown_permission_mode_is_refused_with_the_valid_modes_listed(string mode)
    {
        var error = Rejected(Spec() with { PermissionMode = mode });
        Assert.Equal(ClaudeErrorCode.InvalidArgument, error.Code);
        foreach (var valid in ClaudeArguments.PermissionModes) Assert.Contains(valid, error.Message);
        Assert.Contains("default", error.Message);
        Assert.Contains("bypassPermissions", error.Message);
    }

    [Theory]
    [InlineData("--dangerously-skip-permissions")]
    [InlineData("-opus")]
    [InlineData("claude sonnet")]
    [InlineData("opus --verbose")]
    [InlineData("")]
    [InlineData("opus\n")]
    public void Model_that_is_not_a_plain_name_is_refused(string model)
    {
        var error = Rejected(Spec() with { Model = model });
        Assert.Equal(ClaudeErrorCode.InvalidArgument, error.Code);
        Assert.Contains("model", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("sonnet", error.Message); // suggests a valid name
    }

    [Theory]
    [InlineData("-Read")]
    [InlineData("--dangerously-skip-permissions")]
    [InlineData("  -x")]
    [InlineData("")]
    [InlineData("Read\nWrite")]
    public void Allowed_tool_that_is_not_a_tool_name_is_refused(string tool)
    {
        var error = Rejected(Spec() with { AllowedTools = [tool] });
        Assert.Equal(ClaudeErrorCode.InvalidArgument, error.Code);
        Assert.Contains("tool name", error.Message);
    }

    [Fact]
    public void Disallowed_tool_starting_with_a_dash_is_refused()
    {
        var error = Rejected(Spec() with { DisallowedTools = ["Write", "--verbose"] });
        Assert.Equal(ClaudeErrorCode.InvalidArgument, error.Code);
        Assert.Contains("--verbose", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Max_turns_below_one_is_refused(int turns)
    {
        var error = Rejected(Spec() with { MaxTurns = turns });
        Assert.Equal(ClaudeErrorCode.InvalidArgument, error.Code);
        Assert.Contains("MaxTurns must be at least 1", error.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0.01")]
    public void Max_budget_of_zero_or_less_is_refused(string budget)
    {
        var error = Rejected(Spec() with { MaxBudgetUsd = decimal.Parse(budget, CultureInfo.InvariantCulture) });
        Assert.Equal(ClaudeErrorCode.InvalidArgument, error.Code);
        Assert.Contains("MaxBudgetUsd must be more than 0", error.Message);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(0.0)]
    public void Timeout_of_zero_or_less_is_refused(double seconds)
    {
        var error = Rejected(Spec() with { Timeout = TimeSpan.FromSeconds(seconds) });
        Assert.Equal(ClaudeErrorCode.InvalidArgument, error.Code);
        Assert.Contains("timeout must be more than 0", error.Message);
    }

    [Fact]
    public void Timeout_over_30_days_is_refused_and_30_days_is_accepted()
    {
        var error = Rejected(Spec() with { Timeout = TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1) });
        Assert.Contains("at most 2592000 seconds (30 days)", error.Message);
        Assert.Equal(Preamble, ClaudeArguments.Build(Spec() with { Timeout = TimeSpan.FromDays(30) }));
    }

    [Fact]
    public void Positive_timeout_is_accepted_and_not_passed_to_claude()
    {
        var args = ClaudeArguments.Build(Spec() with { Timeout = TimeSpan.FromSeconds(30) });
        Assert.Equal(Preamble, args);
    }

    [Theory]
    [InlineData("abc def")]
    [InlineData("-abc")]
    [InlineData("--fork-session")]
    [InlineData("")]
    [InlineData("id[1]")]
    public void Resume_id_that_is_not_a_session_id_is_refused(string session)
    {
        var error = Rejected(Spec() with { ResumeSessionId = session });
        Assert.Equal(ClaudeErrorCode.InvalidArgument, error.Code);
        Assert.Contains("session", error.Message);
        Assert.Contains("session_id of an earlier task", error.Message);
    }

    [Fact]
    public void NUL_in_the_appended_system_prompt_is_refused()
    {
        var error = Rejected(Spec() with { AppendSystemPrompt = "a\0b" });
        Assert.Equal(ClaudeErrorCode.InvalidArgument, error.Code);
        Assert.Contains("NUL", error.Message);
    }

    [Fact]
    public void NUL_in_an_added_directory_or_mcp_config_is_refused()
    {
        Assert.Equal(ClaudeErrorCode.InvalidArgument, Rejected(Spec() with { AddDirectories = ["/a\0b"] }).Code);
        Assert.Equal(ClaudeErrorCode.InvalidArgument, Rejected(Spec() with { McpConfig = ["/m\0.json"] }).Code);
    }

    [Fact]
    public void A_valid_spec_passes_validation_without_throwing()
    {
        var spec = Spec() with { Model = "opus", PermissionMode = "dontAsk", MaxTurns = 1, MaxBudgetUsd = 0.01m, Timeout = TimeSpan.FromMilliseconds(1) };
        ClaudeArguments.Validate(spec);
    }
}
