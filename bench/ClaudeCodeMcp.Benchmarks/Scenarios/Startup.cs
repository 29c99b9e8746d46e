using System.Diagnostics;
using System.Text;
using ClaudeCodeMcp.Benchmarks.Support;

namespace ClaudeCodeMcp.Benchmarks.Scenarios;

/// <summary>4. Process start to the initialize reply, and the idle host's memory.</summary>
public static class Startup
{
    private const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}""";

    public static async Task RunAsync(BenchEnvironment env, Report report, int runs)
    {
        var times = new List<double>();
        var floors = new List<double>();
        long rss = 0;
        for (var i = 0; i < runs; i++)
        {
            floors.Add(await TimeProcessAsync(env.Host, ["--version"], null));
            times.Add(await TimeProcessAsync(env.Host, ["--state-dir", env.NewStateDir(), "--claude-path", env.FakeClaude], Initialize, pid => rss = ProcStats.Memory(pid).Rss));
        }
        times.Sort();
        floors.Sort();
        var median = Report.Percentile(times, 50);
        report.Add("4 startup", $"claude-code-mcp to initialize reply, median of {runs}", Report.Ms(median),
            $"same process, `--version` and exit: {Report.Ms(Report.Percentile(floors, 50))}", "≤ 100 ms", median <= 100);
        report.Add("4 startup", "idle host memory (RSS after initialize)", Report.Mb(rss), "", "≤ 40 MB", rss <= 40L * 1024 * 1024);
        if (File.Exists(env.PwshDll) && File.Exists(env.Module)) await PowerShellAsync(env, report, runs);
    }

    /// <summary>Start-ClaudeMcpServer as `pwsh -NoProfile -NonInteractive -Command` runs it, and Import-Module cold and warm, in real pwsh.</summary>
    private static async Task PowerShellAsync(BenchEnvironment env, Report report, int runs)
    {
        var served = new List<double>();
        var bare = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            bare.Add(await TimeProcessAsync("dotnet", env.PwshArguments("'ready'"), null));
            var script = $"Import-Module '{env.Module}'; Start-ClaudeMcpServer -StateDirectory '{env.NewStateDir()}' -ClaudePath '{env.FakeClaude}'";
            served.Add(await TimeProcessAsync("dotnet", env.PwshArguments(script), Initialize));
        }
        served.Sort();
        bare.Sort();
        report.Add("4 startup", $"Start-ClaudeMcpServer (pwsh 7.6.9) to initialize reply, median of {runs}", Report.Ms(Report.Percentile(served, 50)),
            $"pwsh printing one word: {Report.Ms(Report.Percentile(bare, 50))}", "", null);

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in env.PwshArguments(
            $"$m = '{env.Module}'; $w = [Diagnostics.Stopwatch]::StartNew(); Import-Module $m; $cold = $w.Elapsed.TotalMilliseconds; "
            + "Remove-Module ClaudeCodeMcp; $w.Restart(); Import-Module $m; $warm = $w.Elapsed.TotalMilliseconds; \"$cold $warm\"")) psi.ArgumentList.Add(argument);
        using var process = Process.Start(psi)!;
        var output = (await process.StandardOutput.ReadToEndAsync()).Trim().Split(' ');
        await process.WaitForExitAsync();
        var cold = double.Parse(output[0], System.Globalization.CultureInfo.InvariantCulture);
        var warm = double.Parse(output[1], System.Globalization.CultureInfo.InvariantCulture);
        report.Add("4 startup", "Import-Module ClaudeCodeMcp, warm (second import in the process)", Report.Ms(warm), $"first import: {Report.Ms(cold)}", "≤ 150 ms", warm <= 150);
    }

    /// <summary>Start to the first stdout line (or exit).</summary>
    private static async Task<double> TimeProcessAsync(string exe, string[] args, string? request, Action<int>? whileRunning = null)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        if (request is not null)
        {
            await process.StandardInput.WriteAsync(request + "\n");
            await process.StandardInput.FlushAsync();
        }
        var line = await process.StandardOutput.ReadLineAsync();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (line is null) throw new InvalidOperationException($"{exe} printed nothing: {await process.StandardError.ReadToEndAsync()}");
        await Task.Delay(50);
        whileRunning?.Invoke(process.Id);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return elapsed;
    }
}
