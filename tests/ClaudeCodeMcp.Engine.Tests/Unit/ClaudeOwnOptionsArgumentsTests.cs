using Xunit;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

/// <summary>
/// Claude Code's own options (fallback model, effort, system prompt, settings, agents, fork, JSON schema): each reaches
/// the child as one <c>--flag=value</c> token, and what the CLI would choke on is refused first, with a message naming it.
/// </summary>
public sealed class ClaudeOwnOptionsArgumentsTests
{
    private const string Session = "9d3c2b1a-4e5f-4a6b-8c7d-0e1f2a3b4c5d";

    private static ClaudeTaskSpec Spec() => new() { Prompt = "Say hello.", WorkingDirectory = Path.GetTempPath() };

    private static IReadOnlyList<string> Added(ClaudeTaskSpec spec) => ClaudeArguments.Build(spec).Skip(4).ToList();

    private static string Refusal(ClaudeTaskSpec spec)
    {
        var e = Assert.Throws<ClaudeTaskException>(() => ClaudeArguments.Validate(spec));
        Assert.Equal(ClaudeErrorCode.InvalidArgument, e.Code);
        return e.Message;
    }

    [Fact]
    public void Fallback_models_are_one_token_in_their_order()
    {
        Assert.Equal(["--fallback-model=sonnet"], Added(Spec() with { FallbackModel = "sonnet" }));
        Assert.Equal(["--fallback-model=opus,sonnet[1m]"], Added(Spec() with { FallbackModel = "opus,sonnet[1m]" }));
    }

    [Theory]
    [InlineData("--dangerously-skip-permissions")]
    [InlineData("son net")]
    [InlineData("sonnet,")]
    public void A_fallback_model_that_is_no_model_name_is_refused(string fallback)
    {
        Assert.Contains("is not a fallback model", Refusal(Spec() with { FallbackModel = fallback }));
    }

    [Theory]
    [InlineData("low")]
    [InlineData("medium")]
    [InlineData("high")]
    [InlineData("xhigh")]
    [InlineData("max")]
    public void Each_effort_level_of_the_cli_is_passed(string level)
    {
        Assert.Equal([$"--effort={level}"], Added(Spec() with { Effort = level }));
    }

    [Fact]
    public void Effort_is_passed_in_the_cli_spelling_and_an_unknown_level_is_refused_with_the_levels()
    {
        Assert.Equal(["--effort=high"], Added(Spec() with { Effort = "HIGH" }));
        Assert.Contains("one of: low, medium, high, xhigh, max", Refusal(Spec() with { Effort = "extreme" }));
    }

    [Fact]
    public void A_system_prompt_that_looks_like_a_flag_stays_the_value_of_its_flag()
    {
        Assert.Equal(["--system-prompt=--help me"], Added(Spec() with { SystemPrompt = "--help me" }));
        Assert.Contains("NUL", Refusal(Spec() with { SystemPrompt = "a\0b" }));
    }

    [Fact]
    public void Settings_as_json_text_go_as_they_are_and_broken_json_is_refused()
    {
        Assert.Equal(["--settings={ \"model\": \"opus\" }"], Added(Spec() with { Settings = "{ \"model\": \"opus\" }" }));
        Assert.Contains("not valid JSON", Refusal(Spec() with { Settings = "{ \"model\": " }));
    }

    [Fact]
    public void A_settings_file_is_passed_by_its_full_path_and_a_missing_one_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory("ccm-settings-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "s.json"), "{}");
            var spec = Spec() with { WorkingDirectory = folder, Settings = "s.json" };
            Assert.Equal([$"--settings={Path.Combine(folder, "s.json")}"], Added(spec));
            Assert.Contains("does not exist", Refusal(spec with { Settings = "missing.json" }));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Agents_go_as_compact_json_and_anything_but_a_json_object_is_refused()
    {
        Assert.Equal(["--agents={\"reviewer\":{\"description\":\"d\",\"prompt\":\"p\"}}"],
            Added(Spec() with { Agents = "{ \"reviewer\": { \"description\": \"d\", \"prompt\": \"p\" } }" }));
        Assert.Contains("not valid JSON", Refusal(Spec() with { Agents = "{reviewer}" }));
        Assert.Contains("not an object", Refusal(Spec() with { Agents = "[1]" }));
    }

    [Fact]
    public void A_json_schema_goes_compact_in_one_token_and_invalid_json_is_refused()
    {
        var schema = "{\n  \"type\": \"object\",\n  \"properties\": { \"files\": { \"type\": \"array\" } }\n}";
        Assert.Equal(["--json-schema={\"type\":\"object\",\"properties\":{\"files\":{\"type\":\"array\"}}}"], Added(Spec() with { JsonSchema = schema }));
        Assert.Contains("JSON schema", Refusal(Spec() with { JsonSchema = "{\"type\": \"object\"" }));
        Assert.Contains("not an object", Refusal(Spec() with { JsonSchema = "\"object\"" }));
    }

    [Fact]
    public void A_schema_too_big_for_one_argument_is_refused_with_the_limit()
    {
        var schema = "{\"description\": \"" + new string('x', TaskLimits.MaxArgumentBytes) + "\"}";
        Assert.Contains("--json-schema", Refusal(Spec() with { JsonSchema = schema }));
    }

    [Fact]
    public void Fork_session_follows_the_resume_and_is_refused_without_one()
    {
        Assert.Equal([$"--resume={Session}", "--fork-session"], Added(Spec() with { ResumeSessionId = Session, ForkSession = true }));
        Assert.Contains("only when a session is resumed", Refusal(Spec() with { ForkSession = true }));
    }
}
