using System.Text;
using ClaudeCodeMcp.Engine.Streaming;
using Xunit;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

public sealed class StreamEventParserTests
{
    private static StreamEvent Parse(string line) => StreamEventParser.Parse(Encoding.UTF8.GetBytes(line));

    private static T Parse<T>(string line) where T : StreamEvent => Assert.IsType<T>(Parse(line));

    [Fact]
    public void Init_event_gives_session_model_cwd_and_permission_mode()
    {
        var init = Parse<InitEvent>("""
            {"type":"system","subtype":"init","cwd":"/home/me/repo","session_id":"5f1c2d3e-aaaa-bbbb-cccc-0123456789ab",
             "tools":["Bash","Read"],"mcp_servers":[],"model":"claude-sonnet-4-5","permissionMode":"acceptEdits",
             "slash_commands":[],"apiKeySource":"none","claude_code_version":"2.1.331","output_style":"default","uuid":"u1"}
            """);
        Assert.Equal("5f1c2d3e-aaaa-bbbb-cccc-0123456789ab", init.SessionId);
        Assert.Equal("claude-sonnet-4-5", init.Model);
        Assert.Equal("/home/me/repo", init.Cwd);
        Assert.Equal("acceptEdits", init.PermissionMode);
    }

    [Fact]
    public void System_event_that_is_not_init_is_unknown()
    {
        var unknown = Parse<UnknownEvent>("""{"type":"system","subtype":"compact_boundary","session_id":"s"}""");
        Assert.Equal("system", unknown.Type);
    }

    [Fact]
    public void Assistant_event_gives_message_id_texts_and_tool_names()
    {
        var assistant = Parse<AssistantEvent>("""
            {"type":"assistant","message":{"id":"msg_01ABC","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[{"type":"text","text":"Let me look."},{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"ls"}},
                        {"type":"text","text":"And read."},{"type":"tool_use","id":"toolu_2","name":"Read","input":{"file_path":"/a"}}],
             "stop_reason":null,"usage":{"input_tokens":3,"output_tokens":10}},
             "parent_tool_use_id":null,"session_id":"s1","uuid":"u2"}
            """);
        Assert.Equal("msg_01ABC", assistant.MessageId);
        Assert.Equal(["Let me look.", "And read."], assistant.Texts);
        Assert.Equal(["Bash", "Read"], assistant.ToolNames);
        Assert.False(assistant.InSubagent);
    }

    [Fact]
    public void Assistant_event_with_thinking_and_unknown_blocks_ignores_them()
    {
        var assistant = Parse<AssistantEvent>("""
            {"type":"assistant","message":{"id":"m","content":[{"type":"thinking","thinking":"hmm","signature":"x"},
             {"type":"server_tool_use","name":"web_search"},{"type":"brand_new_block","text":"no"},"not an object",42,
             {"type":"text","text":"yes","citations":[{"a":1}]},{"type":"tool_use","name":5},{"type":"text"}]}}
            """);
        Assert.Equal(["yes"], assistant.Texts);
        Assert.Empty(assistant.ToolNames);
    }

    [Fact]
    public void Assistant_event_inside_a_subagent_is_marked_InSubagent()
    {
        var assistant = Parse<AssistantEvent>("""
            {"type":"assistant","parent_tool_use_id":"toolu_01Task","message":{"id":"m2","content":[{"type":"text","text":"sub"}]}}
            """);
        Assert.True(assistant.InSubagent);
        Assert.Equal(["sub"], assistant.Texts);
    }

    [Fact]
    public void Assistant_event_without_a_message_gives_empty_lists()
    {
        var assistant = Parse<AssistantEvent>("""{"type":"assistant","message":"oops"}""");
        Assert.Null(assistant.MessageId);
        Assert.Empty(assistant.Texts);
        Assert.Empty(assistant.ToolNames);
    }

    [Fact]
    public void User_event_counts_tool_results_and_notices_errors()
    {
        var user = Parse<ToolResultEvent>("""
            {"type":"user","message":{"role":"user","content":[
              {"type":"tool_result","tool_use_id":"toolu_1","content":"ok","is_error":false},
              {"type":"tool_result","tool_use_id":"toolu_2","content":[{"type":"text","text":"boom"}],"is_error":true},
              {"type":"text","text":"not a tool result"}]},"parent_tool_use_id":null,"session_id":"s"}
            """);
        Assert.Equal(2, user.Count);
        Assert.True(user.AnyError);
    }

    [Fact]
    public void User_event_with_only_successful_tool_results_has_no_error()
    {
        var user = Parse<ToolResultEvent>("""
            {"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"a","content":"x"},
             {"type":"tool_result","tool_use_id":"b","content":"y","is_error":"true"}]}}
            """);
        Assert.Equal(2, user.Count);
        Assert.False(user.AnyError);
    }

    [Fact]
    public void User_event_with_plain_string_content_has_no_tool_results()
    {
        var user = Parse<ToolResultEvent>("""{"type":"user","message":{"role":"user","content":"hello"}}""");
        Assert.Equal(0, user.Count);
        Assert.False(user.AnyError);
    }

    [Fact]
    public void Success_result_gives_every_field()
    {
        var result = Parse<ResultEvent>("""
            {"type":"result","subtype":"success","is_error":false,"duration_ms":12345,"duration_api_ms":9000,"num_turns":4,
             "result":"All done.","session_id":"sess-9","total_cost_usd":0.0421,
             "usage":{"input_tokens":10,"cache_creation_input_tokens":7,"cache_read_input_tokens":300,"output_tokens":25,
                      "server_tool_use":{"web_search_requests":0},"service_tier":"standard"},
             "modelUsage":{},"terminal_reason":"completed","api_error_status":null,
             "permission_denials":[{"tool_name":"Bash","tool_use_id":"toolu_9","tool_input":{"command":"rm -rf /","description":"x"}},
                                   {"tool_name":"Write","tool_use_id":"toolu_10","tool_input":"plain"}],
             "uuid":"u9"}
            """);
        Assert.Equal("success", result.Subtype);
        Assert.False(result.IsError);
        Assert.Equal("All done.", result.Result);
        Assert.Equal("sess-9", result.SessionId);
        Assert.Equal(4, result.NumTurns);
        Assert.Equal(12345L, result.DurationMs);
        Assert.Equal(0.0421, result.CostUsd);
        Assert.Equal(new ClaudeTokenUsage { InputTokens = 10, OutputTokens = 25, CacheReadInputTokens = 300, CacheCreationInputTokens = 7 }, result.Usage);
        Assert.Equal(342, result.Usage!.TotalTokens);
        Assert.Null(result.ApiErrorStatus);
        Assert.Equal("completed", result.TerminalReason);
        Assert.Empty(result.Errors);
        Assert.Equal(2, result.PermissionDenials.Count);
        var first = result.PermissionDenials[0];
        Assert.Equal("Bash", first.ToolName);
        Assert.Equal("toolu_9", first.ToolUseId);
        Assert.Equal("""{"command":"rm -rf /","description":"x"}""", first.ToolInput);
        Assert.Equal(new ClaudePermissionDenial("Write", "toolu_10", "\"plain\""), result.PermissionDenials[1]);
    }

    [Fact]
    public void Permission_denial_without_tool_name_or_input_is_kept_with_placeholders()
    {
        var result = Parse<ResultEvent>("""
            {"type":"result","subtype":"success","is_error":false,"permission_denials":[{},"junk",{"tool_name":"Edit"}]}
            """);
        Assert.Equal(
            [new ClaudePermissionDenial("unknown", null, null), new ClaudePermissionDenial("Edit", null, null)],
            result.PermissionDenials);
    }

    [Fact]
    public void Result_with_legacy_cost_usd_still_gives_the_cost()
    {
        var result = Parse<ResultEvent>("""{"type":"result","subtype":"success","is_error":false,"cost_usd":0.25,"result":"ok"}""");
        Assert.Equal(0.25, result.CostUsd);
    }

    [Fact]
    public void A_result_without_usage_has_none_and_a_bad_one_is_skipped()
    {
        Assert.Null(Parse<ResultEvent>("""{"type":"result","is_error":false}""").Usage);
        var odd = Parse<ResultEvent>("""{"type":"result","is_error":false,"usage":"many","result":"still read"}""");
        Assert.Null(odd.Usage);
        Assert.Equal("still read", odd.Result);
    }

    [Fact]
    public void Total_cost_wins_over_legacy_cost()
    {
        var result = Parse<ResultEvent>("""{"type":"result","cost_usd":9.0,"total_cost_usd":0.5,"is_error":false}""");
        Assert.Equal(0.5, result.CostUsd);
    }

    [Fact]
    public void Api_error_under_subtype_success_is_an_error_with_status()
    {
        var result = Parse<ResultEvent>("""
            {"type":"result","subtype":"success","is_error":true,"api_error_status":500,"duration_ms":100,"num_turns":1,
             "result":"API Error: 500 {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}",
             "session_id":"s","total_cost_usd":0,"terminal_reason":"api_error","permission_denials":[]}
            """);
        Assert.Equal("success", result.Subtype);
        Assert.True(result.IsError);
        Assert.Equal(500, result.ApiErrorStatus);
        Assert.StartsWith("API Error: 500 {\"type\":\"error\"", result.Result);
        Assert.Equal("api_error", result.TerminalReason);
        Assert.Equal(0.0, result.CostUsd);
    }

    [Fact]
    public void Max_turns_result_has_no_text_and_gives_the_errors()
    {
        var result = Parse<ResultEvent>("""
            {"type":"result","subtype":"error_max_turns","is_error":true,"duration_ms":50,"num_turns":3,"session_id":"s",
             "total_cost_usd":0.01,"errors":["Reached maximum number of turns (3)"],"terminal_reason":"max_turns"}
            """);
        Assert.Equal("error_max_turns", result.Subtype);
        Assert.True(result.IsError);
        Assert.Null(result.Result);
        Assert.Equal(["Reached maximum number of turns (3)"], result.Errors);
        Assert.Equal(3, result.NumTurns);
    }

    [Fact]
    public void Non_string_errors_are_kept_as_raw_json()
    {
        var result = Parse<ResultEvent>("""{"type":"result","is_error":true,"errors":["a",{"code":7},3]}""");
        Assert.Equal(["a", """{"code":7}""", "3"], result.Errors);
    }

    [Theory]
    [InlineData("""{"type":"result","subtype":"success","result":"hi"}""")]
    [InlineData("""{"type":"result","subtype":"success","is_error":null}""")]
    [InlineData("""{"type":"result","subtype":"success","is_error":"false"}""")]
    [InlineData("""{"type":"result","subtype":"success","is_error":0}""")]
    public void Result_without_a_false_is_error_counts_as_error(string line)
    {
        Assert.True(Parse<ResultEvent>(line).IsError);
    }

    [Fact]
    public void Keys_may_come_in_any_order()
    {
        var result = Parse<ResultEvent>("""
            {"permission_denials":[],"total_cost_usd":1.5,"result":"done","num_turns":2,"is_error":false,"subtype":"success","type":"result"}
            """);
        Assert.False(result.IsError);
        Assert.Equal("done", result.Result);
        Assert.Equal(2, result.NumTurns);
        Assert.Equal(1.5, result.CostUsd);

        var init = Parse<InitEvent>("""{"model":"m","session_id":"s","subtype":"init","type":"system"}""");
        Assert.Equal("s", init.SessionId);
        Assert.Equal("m", init.Model);

        var assistant = Parse<AssistantEvent>("""{"message":{"content":[{"text":"t","type":"text"}],"id":"i"},"type":"assistant"}""");
        Assert.Equal(["t"], assistant.Texts);
        Assert.Equal("i", assistant.MessageId);
    }

    [Theory]
    [InlineData("stream_event")]
    [InlineData("rate_limit_event")]
    [InlineData("control_request")]
    [InlineData("something_new_in_2027")]
    public void Unknown_event_type_is_UnknownEvent_with_its_type(string type)
    {
        var unknown = Parse<UnknownEvent>($$$"""{"type":"{{{type}}}","data":{"nested":[1,2,{"x":null}]}}""");
        Assert.Equal(type, unknown.Type);
    }

    [Fact]
    public void Object_without_a_type_is_UnknownEvent_without_type()
    {
        Assert.Null(Parse<UnknownEvent>("""{"subtype":"init","session_id":"s"}""").Type);
        Assert.Null(Parse<UnknownEvent>("""{"type":7}""").Type);
    }

    [Fact]
    public void Unknown_nested_fields_are_ignored()
    {
        var result = Parse<ResultEvent>("""
            {"type":"result","subtype":"success","is_error":false,"result":"ok","fast_mode_state":{"a":[{"b":{"c":[]}}]},
             "brand_new":{"deep":{"deeper":[true,false,null,1e308]}},"num_turns":1}
            """);
        Assert.Equal("ok", result.Result);
        Assert.Equal(1, result.NumTurns);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("hello, this is not JSON")]
    [InlineData("Error: Invalid API key · Please run /login")]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("""[{"type":"result","is_error":false}]""")]
    [InlineData("42")]
    [InlineData("\"result\"")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("""{"type":"result","subtype":"success","is_err""")]
    [InlineData("""{"type":"assistant","message":{"content":[{"type":"text","text":"half""")]
    [InlineData("""{"type":"result"} trailing""")]
    [InlineData("""{"type":"result",}""")]
    public void Lines_that_are_not_a_json_object_are_UnknownEvent_without_throwing(string line)
    {
        var unknown = Parse<UnknownEvent>(line);
        Assert.Null(unknown.Type);
    }

    [Fact]
    public void Empty_memory_is_UnknownEvent()
    {
        Assert.IsType<UnknownEvent>(StreamEventParser.Parse(ReadOnlyMemory<byte>.Empty));
    }

    [Fact]
    public void Very_deep_nesting_is_UnknownEvent_without_throwing()
    {
        var line = """{"type":"result","x":""" + new string('[', 5000) + new string(']', 5000) + "}";
        Assert.IsType<UnknownEvent>(Parse(line));
    }

    [Fact]
    public void Wrong_member_types_give_nulls_not_exceptions()
    {
        var result = Parse<ResultEvent>("""
            {"type":"result","subtype":1,"is_error":false,"result":{"text":"x"},"session_id":5,"num_turns":"3",
             "duration_ms":"12","total_cost_usd":"0.1","api_error_status":"500","terminal_reason":[],
             "errors":"not an array","permission_denials":{"tool_name":"Bash"}}
            """);
        Assert.Null(result.Subtype);
        Assert.False(result.IsError);
        Assert.Null(result.Result);
        Assert.Null(result.SessionId);
        Assert.Null(result.NumTurns);
        Assert.Null(result.DurationMs);
        Assert.Null(result.CostUsd);
        Assert.Null(result.ApiErrorStatus);
        Assert.Null(result.TerminalReason);
        Assert.Empty(result.Errors);
        Assert.Empty(result.PermissionDenials);
    }

    [Fact]
    public void Numbers_out_of_range_give_nulls()
    {
        var result = Parse<ResultEvent>("""
            {"type":"result","is_error":false,"num_turns":3.5,"duration_ms":1e30,"api_error_status":99999999999}
            """);
        Assert.Null(result.NumTurns);
        Assert.Null(result.DurationMs);
        Assert.Null(result.ApiErrorStatus);
    }

    [Fact]
    public void Init_with_wrong_member_types_gives_nulls()
    {
        var init = Parse<InitEvent>("""{"type":"system","subtype":"init","session_id":5,"model":null,"cwd":["/"],"permissionMode":true}""");
        Assert.Equal(new InitEvent(null, null, null, null), init);
    }

    [Fact]
    public void Five_megabyte_text_block_parses_to_a_preview_of_its_start()
    {
        var text = "start ü " + new string('x', 5 * 1024 * 1024);
        var assistant = Parse<AssistantEvent>(
            $$$"""{"type":"assistant","message":{"id":"big","content":[{"type":"text","text":"{{{text}}}"}]}}""");
        Assert.Equal("big", assistant.MessageId);
        Assert.Equal(text[..2000], Assert.Single(assistant.Texts));
    }

    [Fact]
    public void A_long_escaped_text_is_previewed_decoded()
    {
        var original = string.Concat(Enumerable.Repeat("line \"quoted\" \\ tab\t end ü\n", 2000));
        var escaped = System.Text.Json.JsonSerializer.Serialize(original); // with its quotes
        var assistant = Parse<AssistantEvent>(
            $$$"""{"type":"assistant","message":{"id":"esc","content":[{"type":"text","text":{{{escaped}}}}]}}""");
        Assert.Equal(original[..2000], Assert.Single(assistant.Texts));
    }

    [Fact]
    public void Escaped_unicode_and_emoji_in_text_are_decoded()
    {
        var assistant = Parse<AssistantEvent>("""
            {"type":"assistant","message":{"content":[{"type":"text","text":"caf\u00e9 \ud83d\ude00 \"quoted\"\nnext"}]}}
            """);
        Assert.Equal("café 😀 \"quoted\"\nnext", Assert.Single(assistant.Texts));
    }

    [Fact]
    public void Line_with_a_utf8_byte_order_mark_still_parses()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"type":"result","is_error":false}""")).ToArray();
        var parsed = StreamEventParser.Parse(bytes);
        Assert.True(parsed is ResultEvent { IsError: false } or UnknownEvent);
    }

    [Fact]
    public void Lone_surrogate_escape_in_a_text_block_does_not_throw()
    {
        // JSON.stringify writes a string cut in the middle of an emoji as "\ud83d"; the parser must not throw on it.
        var parsed = Parse("""{"type":"assistant","message":{"id":"m","content":[{"type":"text","text":"cut \ud83d"}]}}""");
        var assistant = Assert.IsType<AssistantEvent>(parsed);
        Assert.Equal("cut \uFFFD", Assert.Single(assistant.Texts));
    }

    [Fact]
    public void Result_with_a_lone_surrogate_keeps_its_text_and_whole_emoji()
    {
        var parsed = Parse("""{"type":"result","is_error":false,"result":"ok \ud83d\ude00 then cut \ud83d"}""");
        var result = Assert.IsType<ResultEvent>(parsed);
        Assert.False(result.IsError);
        Assert.Equal("ok \U0001F600 then cut \uFFFD", result.Result);
    }

    [Fact]
    public void Lone_surrogate_escape_in_the_type_does_not_throw()
    {
        var parsed = Parse("""{"type":"\udc00","subtype":"init"}""");
        Assert.IsType<UnknownEvent>(parsed);
    }

    [Fact]
    public void Invalid_utf8_bytes_inside_a_string_do_not_throw()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"type":"assistant","message":{"id":"m","content":[{"type":"text","text":"ab"}]}}""").ToList();
        var at = bytes.LastIndexOf((byte)'a');
        bytes.Insert(at, 0xFF);
        bytes.Insert(at, 0xC3);
        var parsed = StreamEventParser.Parse(bytes.ToArray());
        var assistant = Assert.IsType<AssistantEvent>(parsed);
        Assert.Contains("\uFFFD", Assert.Single(assistant.Texts));
    }
}
