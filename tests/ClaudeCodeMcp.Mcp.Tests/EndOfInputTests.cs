using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Mcp.Tests;

/// <summary>
/// A client that writes its requests and closes the host's input at once (<c>printf '…' | claude-code-mcp</c>) gets an
/// answer to every request it wrote: the quick ones answered, a wait cancelled and saying why; then the host exits.
/// </summary>
public sealed class EndOfInputTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    private const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"printf","version":"1"}}}""";

    [Fact]
    public async Task Requests_written_before_the_input_closed_are_all_answered_and_the_host_exits()
    {
        await using var sandbox = new Sandbox();

        var (answers, code) = await PipeAsync(sandbox,
            Initialize,
            """{"jsonrpc":"2.0","method":"notifications/initialized"}""",
            """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""",
            """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"claude_code_list_tasks","arguments":{}}}""",
            """{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"claude_code_check_result","arguments":{"task_id":"no-such-task"}}}""",
            """{"jsonrpc":"2.0","id":5,"method":"ping"}""");

        Assert.Equal(0, code);
        Assert.Equal([1, 2, 3, 4, 5], answers.Keys.Order());
        Assert.Equal("claude-code-mcp", answers[1].GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
        Assert.Equal(8, answers[2].GetProperty("result").GetProperty("tools").GetArrayLength());
        Assert.False(answers[3].GetProperty("result").GetProperty("isError").GetBoolean());
        Assert.Contains("is not a task id", answers[4].GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
        Assert.True(answers[5].TryGetProperty("result", out _));
    }

    /// <summary>
    /// A wait and a run still going when the input closes would block for minutes: each is cancelled at once and
    /// answered saying so, the run's child is stopped, and the host exits. The last request has no newline after it.
    /// </summary>
    [Fact]
    public async Task A_wait_and_a_run_in_flight_when_the_input_closes_are_answered_as_cancelled_and_the_host_exits()
    {
        await using var sandbox = new Sandbox();
        // A task of another host, which stays up: a wait for it blocks.
        await using var other = await StdioHost.StartAsync(sandbox);
        var started = (await other.CallToolAsync("claude_code_execute_async", new { prompt = "fake:sleep 60000", working_dir = sandbox.WorkDir }))
            .GetProperty("structuredContent").Str("task_id");

        var (answers, code) = await PipeAsync(sandbox,
            Initialize,
            """{"jsonrpc":"2.0","method":"notifications/initialized"}""",
            Call(2, "claude_code_wait", new { task_ids = new[] { started }, timeout = 3600 }),
            Call(3, "claude_code_execute", new { prompt = "fake:sleep 60000", working_dir = sandbox.WorkDir }),
            Call(4, "claude_code_list_tasks", new { }) + Unterminated);

        Assert.Equal(0, code);
        Assert.Equal([1, 2, 3, 4], answers.Keys.Order());
        foreach (var cancelled in new[] { answers[2], answers[3] })
        {
            var result = cancelled.GetProperty("result");
            Assert.True(result.GetProperty("isError").GetBoolean(), result.ToString());
            Assert.Contains("input closed", result.GetProperty("content")[0].GetProperty("text").GetString());
        }
        Assert.False(answers[4].GetProperty("result").GetProperty("isError").GetBoolean());
        Assert.Equal("running", (await other.CallToolAsync("claude_code_check_result", new { task_id = started })).GetProperty("structuredContent").Str("status"));
        var stopped = new Engine.Store.TaskStore(sandbox.StateDir).List().Single(t => t.Id != started);
        Assert.Equal(Engine.ClaudeTaskState.Cancelled, stopped.State);
        Assert.Contains("owned it shut down", stopped.Error);
        Assert.Null(stopped.Child);
    }

    /// <summary>Marks a last line written without its newline, as <c>echo -n</c> does.</summary>
    private const string Unterminated = "\u0000";

    private static string Call(int id, string tool, object arguments) =>
        JsonSerializer.Serialize(new { jsonrpc = "2.0", id, method = "tools/call", @params = new { name = tool, arguments } });

    /// <summary>
    /// Writes every line to a new host in one go and closes its input, as <c>printf '…' | claude-code-mcp</c> does;
    /// returns the answers by id and the exit code. The host must exit on its own; it is killed only to report a hang.
    /// </summary>
    private static async Task<(Dictionary<int, JsonElement> Answers, int Code)> PipeAsync(Sandbox sandbox, params string[] lines)
    {
        using var process = Process.Start(StdioHost.StartInfo(sandbox))!;
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();
        try
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var text = string.Concat(lines.Select(l => l + "\n")).Replace(Unterminated + "\n", "", StringComparison.Ordinal);
            await process.StandardInput.BaseStream.WriteAsync(Encoding.UTF8.GetBytes(text));
            process.StandardInput.Close();
            await process.WaitForExitAsync().WaitAsync(Hang);
            var answers = new Dictionary<int, JsonElement>();
            foreach (var line in (await output.WaitAsync(Hang)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var doc = JsonDocument.Parse(line);
                Assert.Equal("2.0", doc.RootElement.GetProperty("jsonrpc").GetString());
                if (doc.RootElement.TryGetProperty("id", out var id)) answers[id.GetInt32()] = doc.RootElement.Clone();
            }
            return (answers, process.ExitCode);
        }
        catch (TimeoutException)
        {
            lock (stderr) throw new TimeoutException($"The host did not exit after its input closed. Its stderr:\n{stderr}");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.False(ProcessAssert.IsAlive(process.Id));
        }
    }
}
