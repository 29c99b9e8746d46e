using System.Diagnostics;
using System.Text;
using ClaudeCodeMcp.Benchmarks.Support;
using ClaudeCodeMcp.Engine;

namespace ClaudeCodeMcp.Benchmarks.Scenarios;

/// <summary>5. One child printing a lot of stream-json: throughput through parser and log, and the host's memory.</summary>
public static class OutputThroughput
{
    public static async Task RunAsync(BenchEnvironment env, Report report, int megabytes)
    {
        var file = Path.Combine(env.Root, "stream.jsonl");
        var size = Generate(file, megabytes);
        var warmFile = Path.Combine(env.Root, "warm.jsonl");
        Generate(warmFile, Math.Min(megabytes, 50));

        // Floor: the same bytes through a pipe into a loop that only reads them.
        var floorClock = Stopwatch.StartNew();
        var psi = new ProcessStartInfo("cat") { RedirectStandardOutput = true };
        psi.ArgumentList.Add(file);
        using (var cat = Process.Start(psi)!)
        {
            await cat.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
            await cat.WaitForExitAsync();
        }
        var floor = size / floorClock.Elapsed.TotalSeconds;

        await using (var manager = new ClaudeTaskManager(new ClaudeEngineOptions { StateDirectory = env.NewStateDir(), ClaudePath = env.FakeClaude }))
        {
            // Steady state: a first, smaller stream runs the parser hot (tiered compilation) before the measured one.
            await manager.WaitAsync([manager.Start(new ClaudeTaskSpec { Prompt = $"cat {warmFile}", WorkingDirectory = env.WorkDir }).Id]);
            var clock = Stopwatch.StartNew();
            var task = manager.Start(new ClaudeTaskSpec { Prompt = $"cat {file}", WorkingDirectory = env.WorkDir });
            var record = (await manager.WaitAsync([task.Id]))[0];
            var rate = size / clock.Elapsed.TotalSeconds;
            if (record.State != ClaudeTaskState.Completed) throw new InvalidOperationException(record.Error);
            report.Add("5 output", $"{megabytes} MB of stream-json through parser and log", $"{rate / 1e6:0} MB/s",
                $"pipe read only: {floor / 1e6:0} MB/s", "≥ 300 MB/s", rate >= 300e6);
        }

        // The host's memory while it reads the same stream.
        await using var host = await HostSession.StartAsync(env, env.NewStateDir());
        var pid = host.Pid;
        var before = ProcStats.Memory(pid);
        await host.CallAsync("claude_code_execute", new Dictionary<string, object?> { ["prompt"] = $"cat {file}", ["working_dir"] = env.WorkDir });
        var after = ProcStats.Memory(pid);
        var growth = after.Peak - before.Rss;
        report.Add("5 output", "host peak memory growth while reading it", Report.Mb(growth), $"RSS before: {Report.Mb(before.Rss)}", "< 50 MB", growth < 50L * 1024 * 1024);
    }

    /// <summary>Realistic assistant events (text and tool use), about 1 KB a line.</summary>
    private static long Generate(string path, int megabytes)
    {
        var text = new string('x', 900);
        var lines = new[]
        {
            $$"""{"type":"assistant","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"{{text}}"}]},"parent_tool_use_id":null,"session_id":"s"}""",
            """{"type":"assistant","message":{"id":"msg_2","type":"message","role":"assistant","model":"m","content":[{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"ls -la"}}]},"parent_tool_use_id":null,"session_id":"s"}""",
            $$"""{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"{{text}}","is_error":false}]},"parent_tool_use_id":null,"session_id":"s"}""",
        };
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        long written = 0;
        for (var i = 0; written < megabytes * 1_000_000L; i++)
        {
            var line = lines[i % lines.Length];
            writer.Write(line);
            writer.Write('\n');
            written += line.Length + 1;
        }
        return written;
    }
}
