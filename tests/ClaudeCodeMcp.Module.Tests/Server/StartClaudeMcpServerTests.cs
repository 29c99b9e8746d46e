using System.IO.Pipelines;
using System.Management.Automation;
using ClaudeCodeMcp.Module.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace ClaudeCodeMcp.Module.Tests.Server;

/// <summary>Start-ClaudeMcpServer in a hosted runspace, driven by the MCP SDK's client over pipes.</summary>
public sealed class StartClaudeMcpServerTests
{
    private static readonly string[] Tools =
    [
        "claude_code_cancel", "claude_code_check_result", "claude_code_execute", "claude_code_execute_async",
        "claude_code_get_output", "claude_code_list_tasks", "claude_code_remove", "claude_code_wait",
    ];

    [Fact]
    public async Task Serves_the_tools_until_input_closes_and_writes_nothing_to_any_stream()
    {
        await using var sandbox = new ModuleSandbox();
        await using var server = await Served.StartAsync(sandbox, "-Verbose -ThrottleLimit 2 -DefaultModel haiku");

        var tools = await server.Client.ListToolsAsync();
        Assert.Equal(Tools, tools.Select(t => t.Name).Order());
        var result = await server.Client.CallToolAsync("claude_code_execute", new Dictionary<string, object?> { ["prompt"] = "served" });
        Assert.NotEqual(true, result.IsError);
        Assert.Contains("served", string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text)));

        await server.CloseInputAsync();

        var streams = server.Call.PowerShell.Streams;
        Assert.Empty(server.Call.Output);
        Assert.Empty(streams.Error);
        Assert.Empty(streams.Verbose);
        Assert.Empty(streams.Warning);
        Assert.Empty(streams.Information);
        Assert.Empty(streams.Progress);
        Assert.Empty(streams.Debug);
    }

    [Fact]
    public async Task Tasks_the_server_starts_are_seen_by_Get_ClaudeTask_and_Ctrl_C_stops_server_and_children()
    {
        await using var sandbox = new ModuleSandbox();
        await using var server = await Served.StartAsync(sandbox, "");
        var started = await server.Client.CallToolAsync("claude_code_execute_async", new Dictionary<string, object?> { ["prompt"] = "fake:sleep 30000", ["name"] = "from-mcp" });
        Assert.NotEqual(true, started.IsError);

        await using var viewer = new ModuleSandbox();
        var task = viewer.Run("Get-ClaudeTask -Name from-mcp -StateDirectory $s", new() { ["s"] = sandbox.StateDir }).Ok().Single();
        Assert.Equal("Running", task.Text("TaskState"));
        var pid = (int)task.Get("ProcessId")!;

        var clock = System.Diagnostics.Stopwatch.StartNew();
        server.Call.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Stopping took {clock.Elapsed}");
        await ProcessAssert.AssertGoneAsync([pid]);
        Assert.Equal(PSInvocationState.Stopped, server.Call.PowerShell.InvocationStateInfo.State);
        Assert.Empty(server.Call.Output);
    }

    [Fact]
    public async Task Unusable_log_file_is_a_terminating_error_that_says_why()
    {
        await using var sandbox = new ModuleSandbox();
        var error = sandbox.Run(
            "Start-ClaudeMcpServer -InputStream ([IO.MemoryStream]::new()) -OutputStream ([IO.MemoryStream]::new()) -LogFile ./missing/dir/server.log")
            .Errors.Single();

        Assert.Equal("ServerFailed,ClaudeCodeMcp.Commands.StartClaudeMcpServerCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
        Assert.Contains("missing", error.Exception.Message);
    }

    [Fact]
    public async Task Parameters_become_the_claude_code_mcp_flags()
    {
        await using var sandbox = new ModuleSandbox();
        var log = sandbox.File("server.log");
        var result = sandbox.Run("""
            Start-ClaudeMcpServer -InputStream ([IO.MemoryStream]::new()) -OutputStream ([IO.MemoryStream]::new()) `
                -ThrottleLimit 3 -AllowedDirectory ./a, ./b -DenySkipPermissions -DefaultModel opus -LogFile ../server.log -Verbose
            """);

        Assert.Empty(result.Ok());
        Assert.Empty(result.Streams.Verbose);
        Assert.Contains("serving 8 tools", File.ReadAllText(log));
    }

    /// <summary>A running Start-ClaudeMcpServer and an SDK client connected to it.</summary>
    private sealed class Served : IAsyncDisposable
    {
        private readonly Pipe _toServer = new();
        private readonly Pipe _toClient = new();

        private Served(ModuleSandbox sandbox, string parameters) =>
            Call = sandbox.Begin($"Start-ClaudeMcpServer -InputStream $in -OutputStream $out {parameters}",
                new() { ["in"] = _toServer.Reader.AsStream(), ["out"] = _toClient.Writer.AsStream() });

        public PsCall Call { get; }
        public McpClient Client { get; private set; } = null!;

        public static async Task<Served> StartAsync(ModuleSandbox sandbox, string parameters)
        {
            var served = new Served(sandbox, parameters);
            served.Client = await McpClient.CreateAsync(
                new StreamClientTransport(served._toServer.Writer.AsStream(), served._toClient.Reader.AsStream()),
                new McpClientOptions { ClientInfo = new Implementation { Name = "module-tests", Version = "1" } }).WaitAsync(ModuleSandbox.Hang);
            return served;
        }

        public async Task CloseInputAsync()
        {
            await _toServer.Writer.CompleteAsync();
            Call.End();
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            if (Call.PowerShell.InvocationStateInfo.State == PSInvocationState.Running) Call.Stop();
            Call.Dispose();
        }
    }
}
