using System.Diagnostics;
using ClaudeCodeMcp.Engine.Tests.Support;

namespace ClaudeCodeMcp.Mcp.Tests;

/// <summary>The benchmarks (bench/) run with tiny N on every test run, so they cannot rot; figures are not judged here.</summary>
public sealed class BenchmarkSmokeTests
{
    [Fact]
    public async Task Every_benchmark_scenario_still_runs()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add(TestPaths.Metadata("BenchmarksPath"));
        psi.ArgumentList.Add("scenarios");
        psi.ArgumentList.Add("--smoke");
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }

        Assert.True(process.ExitCode == 0, await stderr);
        var table = await stdout;
        foreach (var scenario in new[] { "1 spawn overhead", "2 parallel scaling", "3 MCP latency", "4 startup", "5 output", "6 idle", "7 store", "8 shutdown" })
            Assert.Contains(scenario, table);
    }
}
