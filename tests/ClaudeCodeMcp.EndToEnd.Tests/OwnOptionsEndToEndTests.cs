using System.Text.Json;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace ClaudeCodeMcp.EndToEnd.Tests;

/// <summary>
/// Claude Code's own options with the real CLI: a JSON schema's answer (the model calls the CLI's StructuredOutput tool)
/// comes back as an object through the engine, Start-ClaudeTask in real pwsh and the MCP host's check_result; the
/// fallback model and the effort reach the requests the child sends.
/// </summary>
public sealed class OwnOptionsEndToEndTests(ITestOutputHelper output) : IClassFixture<SuiteDiagnostics>
{
    private const string Schema = """{"type":"object","properties":{"files":{"type":"array","items":{"type":"string"}},"verdict":{"type":"string"}},"required":["files","verdict"]}""";

    private static void AnswerWithStructuredOutput(EndToEndRig rig, string marker) =>
        rig.Api.OnConversation(marker, request => request.ToolNames.Contains("StructuredOutput")
            ? ApiReply.StructuredOutput(new { files = new[] { "a.cs", "b.cs" }, verdict = "clean" })
            : ApiReply.Text("No StructuredOutput tool was offered."));

    [SkippableFact]
    public async Task A_task_with_a_schema_gets_the_models_StructuredOutput_call_back_as_its_structured_output()
    {
        await using var rig = await EndToEndRig.StartAsync();
        AnswerWithStructuredOutput(rig, "E2E-SCHEMA");
        var manager = rig.Manager();

        var task = await EngineEndToEndTests.RunAsync(output, manager, rig.Spec("E2E-SCHEMA: list the files") with { JsonSchema = Schema });

        Assert.True(task.State == ClaudeTaskState.Completed, $"{task.State}: {task.Error}");
        using var structured = JsonDocument.Parse(task.StructuredOutput!);
        Assert.Equal(["a.cs", "b.cs"], structured.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("clean", structured.RootElement.GetProperty("verdict").GetString());
        Assert.Contains("StructuredOutput", rig.Api.RequestsOf("E2E-SCHEMA")[0].ToolNames);
        Assert.Empty(rig.ChildrenLeft());
    }

    [SkippableFact]
    public async Task Start_ClaudeTask_with_a_hashtable_schema_gives_Receive_ClaudeTask_the_answer_as_objects()
    {
        Pwsh.SkipUnlessBuilt();
        await using var rig = await EndToEndRig.StartAsync();
        AnswerWithStructuredOutput(rig, "E2E-PS-SCHEMA");
        var (hostEnvironment, apiEnvironment) = rig.SplitApiEnvironment();
        var environment = string.Join("; ", apiEnvironment.Select(kv => $"{Pwsh.Quote(kv.Key)} = {Pwsh.Quote(kv.Value)}"));
        var script = $$"""
            Import-Module {{Pwsh.Quote(Pwsh.ModuleManifest)}}
            $schema = @{ type = 'object'; properties = @{ files = @{ type = 'array'; items = @{ type = 'string' } }; verdict = @{ type = 'string' } }; required = @('files', 'verdict') }
            $r = Start-ClaudeTask 'E2E-PS-SCHEMA: list the files' -JsonSchema $schema -WorkingDirectory {{Pwsh.Quote(rig.WorkDir)}} -ClaudePath {{Pwsh.Quote(RealClaude.Executable)}} -SkipPermissions -MaxTurns 4 -Timeout 120 -Environment @{ {{environment}} } -StateDirectory {{Pwsh.Quote(rig.Sandbox.StateDir)}} |
                Receive-ClaudeTask -Wait
            "E2E-RESULT|$($r.State)|$($r.StructuredOutput.files -join ',')|$($r.StructuredOutput.verdict)|$($r.Attempts)"
            """;

        var run = await Pwsh.RunAsync(script, rig.HostDir, hostEnvironment, EndToEndRig.Hang + EndToEndRig.Hang);
        output.WriteLine(run.ToString());

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("Completed|a.cs,b.cs|clean|1", Assert.Single(run.LinesAfter("E2E-RESULT|")));
        await rig.AssertNothingLeftAsync();
    }

    [SkippableFact]
    public async Task The_mcp_host_takes_json_schema_as_an_object_or_text_and_check_result_and_execute_give_structured_output_as_an_object()
    {
        await using var rig = await EndToEndRig.StartAsync();
        AnswerWithStructuredOutput(rig, "E2E-MCP-SCHEMA");
        var client = await rig.StartHostAsync();

        var id = await client.StartTaskAsync(new
        {
            prompt = "E2E-MCP-SCHEMA: list the files",
            working_dir = rig.WorkDir,
            max_turns = 4,
            timeout = 120,
            json_schema = JsonDocument.Parse(Schema).RootElement,
        });
        await client.WaitAllAsync(id);
        var record = (await client.CallAsync("claude_code_check_result", new { task_id = id })).Structured();
        output.WriteLine(record.ToString());

        Assert.Equal("completed", record.Str("status"));
        var structured = record.GetProperty("structured_output");
        Assert.Equal(JsonValueKind.Object, structured.ValueKind);
        Assert.Equal(["a.cs", "b.cs"], structured.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("clean", structured.GetProperty("verdict").GetString());

        var executed = (await client.CallAsync("claude_code_execute", new
        {
            prompt = "E2E-MCP-SCHEMA: list the files again",
            working_dir = rig.WorkDir,
            max_turns = 4,
            timeout = 120,
            json_schema = Schema,
        })).Structured();
        output.WriteLine(executed.ToString());

        Assert.Equal("completed", executed.Str("status"));
        Assert.Equal(["a.cs", "b.cs"], executed.GetProperty("structured_output").GetProperty("files").EnumerateArray().Select(f => f.GetString()));
    }

    [SkippableFact]
    public async Task The_effort_reaches_the_models_requests()
    {
        await using var rig = await EndToEndRig.StartAsync();
        rig.Api.OnConversation("E2E-EFFORT", _ => ApiReply.Text("thought hard"));
        var manager = rig.Manager();

        var task = await EngineEndToEndTests.RunAsync(output, manager, rig.Spec("E2E-EFFORT: think") with { Effort = "low" });

        Assert.True(task.State == ClaudeTaskState.Completed, $"{task.State}: {task.Error}");
        // 2.1.331 sends --effort as output_config.effort (its default model takes one; without the flag it says "medium").
        Assert.Equal("low", Assert.Single(rig.Api.RequestsOf("E2E-EFFORT")).Effort);
    }

    [SkippableFact]
    public async Task When_the_model_stays_overloaded_the_child_falls_back_to_the_fallback_model()
    {
        await using var rig = await EndToEndRig.StartAsync();
        const string fallback = "claude-sonnet-4-5";
        rig.Api.OnConversation("E2E-FALLBACK", request => request.Model == fallback ? ApiReply.Text("answered by the fallback") : ApiReply.Error(529));
        var manager = rig.Manager();
        // 2.1.331 switches to the fallback after three 529s in a row (a system/model_fallback event), so it must retry itself here.
        var spec = rig.Spec("E2E-FALLBACK: anything") with
        {
            FallbackModel = fallback,
            Environment = new Dictionary<string, string> { ["CLAUDE_CODE_MAX_RETRIES"] = "3" },
        };

        var task = await EngineEndToEndTests.RunAsync(output, manager, spec);
        foreach (var request in rig.Api.RequestsOf("E2E-FALLBACK")) output.WriteLine("API: " + request);

        Assert.True(task.State == ClaudeTaskState.Completed, $"{task.State}: {task.Error}");
        Assert.Equal("answered by the fallback", task.Result);
        var models = rig.Api.RequestsOf("E2E-FALLBACK").Select(r => r.Model).ToList();
        Assert.Equal(fallback, models[^1]);
        Assert.NotEqual(fallback, models[0]);
    }
}
