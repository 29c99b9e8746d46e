using Xunit;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

public sealed class ChildEnvironmentTests
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    private static Dictionary<string, string> ParentSession() => new(StringComparer.Ordinal)
    {
        ["PATH"] = "/usr/local/bin:/usr/bin",
        ["HOME"] = "/home/me",
        ["ANTHROPIC_API_KEY"] = "sk-ant-test",
        ["LANG"] = "C.UTF-8",
        ["CLAUDECODE"] = "1",
        ["CLAUDE_CODE_ENTRYPOINT"] = "cli",
        ["CLAUDE_CODE_SESSION_ID"] = "parent-session",
        ["CLAUDE_CODE_MESSAGING_SOCKET"] = "/tmp/parent.sock",
        ["CLAUDE_CODE_MESSAGING_TOKEN"] = "secret-token",
        ["CLAUDE_CODE_LAUNCHED_BY_SESSION_IDS"] = "a,b",
        ["CLAUDE_CODE_CHILD_NOTES_DIR"] = "/tmp/notes",
        ["CLAUDE_CODE_CHILD_SESSION"] = "1",
        ["CLAUDE_CODE_SESSION_ATTENDED"] = "1",
        ["CLAUDE_CODE_SSE_PORT"] = "51234",
        ["ENABLE_IDE_INTEGRATION"] = "true",
    };

    [Theory]
    [InlineData("CLAUDECODE")]
    [InlineData("CLAUDE_CODE_ENTRYPOINT")]
    [InlineData("CLAUDE_CODE_SESSION_ID")]
    [InlineData("CLAUDE_CODE_MESSAGING_SOCKET")]
    [InlineData("CLAUDE_CODE_MESSAGING_TOKEN")]
    [InlineData("CLAUDE_CODE_SSE_PORT")]
    [InlineData("ENABLE_IDE_INTEGRATION")]
    public void Parent_session_variable_is_removed(string name)
    {
        var env = ChildEnvironment.Build(ParentSession(), None, None);
        Assert.False(env.ContainsKey(name), $"{name} leaked into the child");
    }

    [Fact]
    public void Every_listed_parent_session_variable_is_removed()
    {
        var inherited = ParentSession();
        foreach (var name in ChildEnvironment.ParentSessionVariables) inherited[name] = "from parent";
        var env = ChildEnvironment.Build(inherited, None, None);
        foreach (var name in ChildEnvironment.ParentSessionVariables) Assert.False(env.ContainsKey(name), $"{name} leaked into the child");
    }

    [Fact]
    public void The_list_of_parent_session_variables_covers_the_messaging_channel()
    {
        Assert.Contains("CLAUDECODE", ChildEnvironment.ParentSessionVariables);
        Assert.Contains("CLAUDE_CODE_ENTRYPOINT", ChildEnvironment.ParentSessionVariables);
        Assert.Contains("CLAUDE_CODE_SESSION_ID", ChildEnvironment.ParentSessionVariables);
        Assert.Contains("CLAUDE_CODE_MESSAGING_SOCKET", ChildEnvironment.ParentSessionVariables);
        Assert.Contains("CLAUDE_CODE_MESSAGING_TOKEN", ChildEnvironment.ParentSessionVariables);
    }

    [Fact]
    public void Everything_else_is_kept_unchanged()
    {
        var env = ChildEnvironment.Build(ParentSession(), None, None);
        Assert.Equal("/usr/local/bin:/usr/bin", env["PATH"]);
        Assert.Equal("/home/me", env["HOME"]);
        Assert.Equal("sk-ant-test", env["ANTHROPIC_API_KEY"]);
        Assert.Equal("C.UTF-8", env["LANG"]);
        Assert.Equal(4, env.Count);
    }

    [Fact]
    public void Similar_names_that_are_not_parent_session_variables_are_kept()
    {
        var inherited = new Dictionary<string, string>
        {
            ["CLAUDE_CODE_USE_BEDROCK"] = "1",
            ["CLAUDE_CODE_MAX_OUTPUT_TOKENS"] = "8000",
            ["CLAUDECODE_X"] = "y",
            ["API_TIMEOUT_MS"] = "60000",
        };
        var env = ChildEnvironment.Build(inherited, None, None);
        Assert.Equal(inherited, env);
    }

    [Fact]
    public void Engine_extras_are_added()
    {
        var engine = new Dictionary<string, string> { ["DISABLE_TELEMETRY"] = "1", ["API_TIMEOUT_MS"] = "120000" };
        var env = ChildEnvironment.Build(ParentSession(), engine, None);
        Assert.Equal("1", env["DISABLE_TELEMETRY"]);
        Assert.Equal("120000", env["API_TIMEOUT_MS"]);
        Assert.Equal("/home/me", env["HOME"]);
    }

    [Fact]
    public void Engine_extras_win_over_inherited_values()
    {
        var engine = new Dictionary<string, string> { ["HOME"] = "/engine/home" };
        Assert.Equal("/engine/home", ChildEnvironment.Build(ParentSession(), engine, None)["HOME"]);
    }

    [Fact]
    public void Task_extras_win_over_engine_extras_and_inherited_values()
    {
        var engine = new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = "engine-key", ["MODE"] = "engine", ["ONLY_ENGINE"] = "e" };
        var task = new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = "task-key", ["MODE"] = "task", ["ONLY_TASK"] = "t" };
        var env = ChildEnvironment.Build(ParentSession(), engine, task);
        Assert.Equal("task-key", env["ANTHROPIC_API_KEY"]);
        Assert.Equal("task", env["MODE"]);
        Assert.Equal("e", env["ONLY_ENGINE"]);
        Assert.Equal("t", env["ONLY_TASK"]);
    }

    [Fact]
    public void An_extra_may_deliberately_set_a_parent_session_variable()
    {
        // Extras are applied after the removal: a task that really wants one of these names gets it.
        var task = new Dictionary<string, string> { ["CLAUDE_CODE_ENTRYPOINT"] = "sdk-ts" };
        var env = ChildEnvironment.Build(ParentSession(), None, task);
        Assert.Equal("sdk-ts", env["CLAUDE_CODE_ENTRYPOINT"]);
        Assert.False(env.ContainsKey("CLAUDECODE"));
    }

    [Fact]
    public void Empty_values_are_kept()
    {
        var inherited = new Dictionary<string, string> { ["EMPTY"] = "" };
        var task = new Dictionary<string, string> { ["ALSO_EMPTY"] = "" };
        var env = ChildEnvironment.Build(inherited, None, task);
        Assert.Equal("", env["EMPTY"]);
        Assert.Equal("", env["ALSO_EMPTY"]);
    }

    [Fact]
    public void The_callers_dictionaries_are_not_changed()
    {
        var inherited = ParentSession();
        var before = new Dictionary<string, string>(inherited);
        var engine = new Dictionary<string, string> { ["A"] = "1" };
        var task = new Dictionary<string, string> { ["A"] = "2" };
        var env = ChildEnvironment.Build(inherited, engine, task);
        env["NEW"] = "x";
        Assert.Equal(before, inherited);
        Assert.Equal("1", engine["A"]);
        Assert.Single(engine);
        Assert.Single(task);
    }

    [Fact]
    public void Current_reflects_this_process_environment()
    {
        var current = ChildEnvironment.Current();
        Assert.Equal(Environment.GetEnvironmentVariables().Count, current.Count);
    }
}
