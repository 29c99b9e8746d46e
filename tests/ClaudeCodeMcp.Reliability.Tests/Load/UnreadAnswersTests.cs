using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;
using ClaudeCodeMcp.Reliability.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;
using Xunit.Abstractions;

namespace ClaudeCodeMcp.Reliability.Tests.Load;

/// <summary>A client that floods the host with requests and does not read the answers (issue 14, finding 5).</summary>
[Collection(Heavy.Name)]
public sealed class UnreadAnswersTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(120);
    private const int Requests = 50_000;
    private const int MaxUnanswered = 100; // ClaudeMcpServer.MaxUnansweredRequests

    /// <summary>Before the bound, 30,000 requests took the host from 57 MB to 280 MB; the host now idles at about 60 MB.</summary>
    private const long PeakBytes = 150L * 1024 * 1024;

    /// <summary>
    /// The host stops reading while it holds many unanswered requests (the client's writes then wait, as on any full
    /// pipe), so its memory stays bounded; once the client reads, every request gets its answer.
    /// </summary>
    [Fact]
    public async Task A_client_that_does_not_read_its_answers_cannot_grow_the_host_and_gets_every_answer_once_it_reads()
    {
        await using var sandbox = new Sandbox();
        using var process = Process.Start(StdioHost.StartInfo(sandbox))!;
        var stderr = new StringBuilder();
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr) stderr.AppendLine(e.Data);
            if (e.Data.Contains("stopped reading", StringComparison.Ordinal)) paused.TrySetResult();
        };
        process.BeginErrorReadLine();
        try
        {
            var lines = new StringBuilder();
            lines.Append("""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"flood","version":"1"}}}""").Append('\n');
            lines.Append("""{"jsonrpc":"2.0","method":"notifications/initialized"}""").Append('\n');
            for (var id = 1; id <= Requests; id++) lines.Append("""{"jsonrpc":"2.0","id":""").Append(id).Append(""","method":"ping"}""").Append('\n');
            var bytes = Encoding.UTF8.GetBytes(lines.ToString());
            var writer = Task.Run(async () =>
            {
                await process.StandardInput.BaseStream.WriteAsync(bytes);
                await process.StandardInput.BaseStream.FlushAsync();
            });

            // Either the host read everything (the writer is done), or it said it stopped reading.
            await Task.WhenAny(writer, paused.Task).WaitAsync(Hang);
            var unread = PeakRss(process.Id);

            var answered = new bool[Requests + 1];
            var count = 0;
            await Task.Run(async () =>
            {
                while (count <= Requests && await process.StandardOutput.ReadLineAsync() is { } line)
                {
                    using var doc = JsonDocument.Parse(line);
                    var id = doc.RootElement.GetProperty("id").GetInt32();
                    Assert.False(answered[id], $"request {id} was answered twice");
                    Assert.True(doc.RootElement.TryGetProperty("result", out _), line);
                    answered[id] = true;
                    count++;
                }
            }).WaitAsync(Hang);
            await writer.WaitAsync(Hang);
            var peak = PeakRss(process.Id);
            output.WriteLine($"peak RSS {unread / 1048576} MiB while the client did not read, {peak / 1048576} MiB in all; writer done before reading: {!paused.Task.IsCompleted}");

            Assert.Equal(Requests + 1, count);
            Assert.True(peak < PeakBytes, $"the host grew to {peak / 1048576} MiB (bound {PeakBytes / 1048576} MiB)");
            process.StandardInput.Close();
            await process.WaitForExitAsync().WaitAsync(Hang);
            Assert.Equal(0, process.ExitCode);
        }
        catch (TimeoutException)
        {
            lock (stderr) throw new TimeoutException($"The host hung. Its stderr:\n{stderr}");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.False(ProcessAssert.IsAlive(process.Id));
        }
    }

    /// <summary>
    /// A request the client cancels gets no answer, yet it is no longer held as unanswered: cancelling more waits than
    /// the bound allows in flight never stops the host from reading the next request.
    /// </summary>
    [Fact]
    public async Task Requests_the_client_cancels_never_hold_back_its_next_requests()
    {
        await using var sandbox = new Sandbox();
        await using var host = await RawHost.StartAsync(sandbox);
        var started = await host.CallToolAsync("claude_code_execute_async", new { prompt = "fake:sleep 60000", working_dir = sandbox.WorkDir });
        var task = started.GetProperty("structuredContent").Str("task_id");

        for (var i = 0; i < 3 * MaxUnanswered / 2; i++)
        {
            var id = host.NextId("w");
            await host.SendLineAsync(JsonSerializer.Serialize(new
            {
                jsonrpc = "2.0", id, method = "tools/call",
                @params = new { name = "claude_code_wait", arguments = new { task_ids = new[] { task }, timeout = 3600 } },
            }));
            await host.SendLineAsync(JsonSerializer.Serialize(new
            {
                jsonrpc = "2.0", method = "notifications/cancelled", @params = new { requestId = id, reason = "not needed" },
            }));
        }

        var ping = await host.RequestAsync("ping");
        Assert.True(ping.TryGetProperty("result", out _), ping.ToString());
        var check = await host.CallToolAsync("claude_code_check_result", new { task_id = task });
        Assert.Equal("running", check.GetProperty("structuredContent").Str("status"));
    }

    /// <summary>
    /// While it holds as many unanswered requests as it allows, the host still sees its input close: a client that
    /// leaves more waits open than that and goes away gets every wait answered (cancelled, saying why), and the host
    /// ends at once instead of when the waits time out an hour later.
    /// </summary>
    [Fact]
    public async Task A_client_that_leaves_more_waits_open_than_the_bound_and_closes_its_input_still_ends_the_host()
    {
        await using var sandbox = new Sandbox();
        await using var host = await RawHost.StartAsync(sandbox);
        var started = await host.CallToolAsync("claude_code_execute_async", new { prompt = "fake:sleep 60000", working_dir = sandbox.WorkDir });
        var task = started.GetProperty("structuredContent").Str("task_id");
        var children = ProcessAssert.RunningIn(sandbox.Root);

        var ids = new List<string>();
        for (var i = 0; i < 3 * MaxUnanswered / 2; i++)
        {
            var id = host.NextId("w");
            ids.Add(id);
            await host.SendLineAsync(JsonSerializer.Serialize(new
            {
                jsonrpc = "2.0", id, method = "tools/call",
                @params = new { name = "claude_code_wait", arguments = new { task_ids = new[] { task }, timeout = 3600 } },
            }));
        }
        await host.CloseInputAsync();
        await host.Process.WaitForExitAsync().WaitAsync(Hang);

        host.AssertOnlyJsonRpc();
        var answers = host.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement)
            .Where(a => a.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString()!.StartsWith("w-", StringComparison.Ordinal))
            .ToDictionary(a => a.GetProperty("id").GetString()!);
        Assert.Equal(ids.Order(), answers.Keys.Order());
        Assert.All(answers.Values, a => Assert.Contains("input closed", a.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()));
        Assert.Equal(0, host.Process.ExitCode);
        await ProcessAssert.AssertGoneAsync(children);
    }

    /// <summary>The process's peak resident set so far (VmHWM), in bytes.</summary>
    private static long PeakRss(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
