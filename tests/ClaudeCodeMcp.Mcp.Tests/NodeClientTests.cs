using System.Diagnostics;
using System.Text.Json;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;

namespace ClaudeCodeMcp.Mcp.Tests;

/// <summary>Clients nobody here wrote: the official TypeScript SDK client and the MCP Inspector CLI, run by node.</summary>
public sealed class NodeClientTests
{
    private static string NodeClients => Path.GetDirectoryName(TestPaths.Metadata("NodeClientsPath"))!;

    [Fact]
    public async Task The_typescript_sdk_client_validates_every_result_gets_progress_and_cancels_by_abort()
    {
        await using var sandbox = new Sandbox();
        var (code, stdout, stderr) = await NodeAsync(sandbox, ["sdk-client.mjs", sandbox.WorkDir, StdioHost.Path, .. ServerFlags(sandbox)]);

        Assert.True(code == 0, $"node exited {code}: {stderr}");
        using var report = JsonDocument.Parse(stdout);
        var r = report.RootElement;
        Assert.Equal(8, r.GetProperty("tools").GetArrayLength());
        Assert.Contains("Task ID: ", r.GetProperty("startedText").GetString());
        Assert.Equal("completed", r.GetProperty("waitedStatus").GetString());
        Assert.Equal("from node", r.GetProperty("waitedResult").GetString());
        Assert.True(r.GetProperty("progressCount").GetInt32() >= 1);
        Assert.Contains(r.GetProperty("progressMessages").EnumerateArray(), m => m.GetString()!.Contains("running Bash"));
        Assert.Equal("completed", r.GetProperty("checkedStatus").GetString());
        Assert.True(r.GetProperty("outputHasTool").GetBoolean());
        Assert.True(r.GetProperty("badIsError").GetBoolean());
        Assert.Contains("-32001", r.GetProperty("abort").GetString());
        Assert.Contains("to-abort", r.GetProperty("cancelledNames").EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public async Task The_inspector_cli_finds_the_tool_list_strictly_valid_and_calls_tools()
    {
        await using var sandbox = new Sandbox();
        string[] inspector = ["node_modules/.bin/mcp-inspector", "--cli", StdioHost.Path, .. ServerFlags(sandbox)];

        var list = await NodeAsync(sandbox, [.. inspector, "--method", "tools/list", "--strict"], direct: true);
        Assert.True(list.Code == 0, $"inspector --strict exited {list.Code}: {list.Stdout}{list.Stderr}");
        Assert.DoesNotContain("Warning", list.Stdout + list.Stderr);
        Assert.Equal(8, JsonDocument.Parse(list.Stdout).RootElement.GetProperty("tools").GetArrayLength());

        var call = await NodeAsync(sandbox, [.. inspector, "--method", "tools/call", "--tool-name", "claude_code_execute",
            "--tool-args-json", JsonSerializer.Serialize(new { prompt = "from the inspector", working_dir = sandbox.WorkDir })], direct: true);
        Assert.True(call.Code == 0, call.Stdout + call.Stderr);
        Assert.Equal("from the inspector", JsonDocument.Parse(call.Stdout).RootElement.GetProperty("structuredContent").Str("result"));

        var bad = await NodeAsync(sandbox, [.. inspector, "--method", "tools/call", "--tool-name", "claude_code_check_result",
            "--tool-args-json", """{"task_id":"zzzzzzzz"}"""], direct: true);
        Assert.Equal(5, bad.Code); // the Inspector's code for an isError result
        Assert.Contains("no task zzzzzzzz", bad.Stdout);
    }

    private static string[] ServerFlags(Sandbox sandbox) => ["--state-dir", sandbox.StateDir, "--claude-path", TestPaths.FakeClaude];

    private static async Task<(int Code, string Stdout, string Stderr)> NodeAsync(Sandbox sandbox, string[] args, bool direct = false)
    {
        var psi = new ProcessStartInfo(direct ? Path.Combine(NodeClients, args[0]) : "node")
        {
            WorkingDirectory = NodeClients,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in direct ? args.Skip(1) : args) psi.ArgumentList.Add(arg);
        psi.Environment.Clear();
        foreach (var (k, v) in sandbox.Environment) psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
