using System.Diagnostics;
using System.Text;
using ClaudeCodeMcp.Benchmarks.Support;

namespace ClaudeCodeMcp.Benchmarks.Scenarios;

/// <summary>4. Process start to the initialize reply, and the idle host's memory.</summary>
public static class Startup
{
    private const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}""";

    /// <summary>
    /// The host against two floors in the same loop: `cat` (a trivial native program: start, read the request, echo it
    /// back, wait) and the host's own `--version` (its runtime starting and exiting). With <paramref name="otherHost"/>
    /// (`--vs-host PATH`, e.g. a framework-dependent build) that host is measured in the same loop too.
    /// </summary>
    public static async Task RunAsync(BenchEnvironment env, Report report, int runs, string? otherHost = null)
    {
        var host = new Samples();
        var other = new Samples();
        var echo = new Samples();
        var version = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            echo.Add(await TimeProcessAsync("cat", [], Initialize, echo.Rss.Add));
            version.Add(await TimeProcessAsync(env.Host, ["--version"], null));
            host.Add(await TimeProcessAsync(env.Host, ["--state-dir", env.NewStateDir(), "--claude-path", env.FakeClaude], Initialize, host.Rss.Add));
            if (otherHost is not null)
                other.Add(await TimeProcessAsync(otherHost, ["--state-dir", env.NewStateDir(), "--claude-path", env.FakeClaude], Initialize, other.Rss.Add));
        }
        version.Sort();
        var floor = $"`cat` echoing the request: {Report.Ms(echo.Median)}; the host's `--version`: {Report.Ms(Report.Percentile(version, 50))}";
        report.Add("4 startup", $"claude-code-mcp to initialize reply, median of {runs}", Report.Ms(host.Median), floor, "≤ 30 ms", host.Median <= 30);
        report.Add("4 startup", $"idle host memory (RSS after initialize), median of {runs}", Report.Mb(host.MedianRss),
            $"`cat` waiting for input: {Report.Mb(echo.MedianRss)}", "≤ 16 MB", host.MedianRss <= 16L * 1024 * 1024);
        if (otherHost is not null)
        {
            report.Add("4 startup", $"{otherHost}: to initialize reply, median of {runs}", Report.Ms(other.Median), floor, "", null);
            report.Add("4 startup", $"{otherHost}: idle memory (RSS after initialize), median of {runs}", Report.Mb(other.MedianRss),
                $"`cat` waiting for input: {Report.Mb(echo.MedianRss)}", "", null);
        }
        if (File.Exists(env.PwshDll) && File.Exists(env.Module)) await PowerShellAsync(env, report, runs);
    }

    /// <summary>Times and resident memory of one program over the runs.</summary>
    private sealed class Samples
    {
        private readonly List<double> _times = [];

        public List<long> Rss { get; } = [];

        public void Add(double milliseconds) => _times.Add(milliseconds);

        public double Median => Report.Percentile(_times.Order().ToList(), 50);

        public long MedianRss => Rss.Count == 0 ? 0 : Rss.Order().ElementAt((Rss.Count - 1) / 2);
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
        var (servedMedian, bareMedian) = (Report.Percentile(served, 50), Report.Percentile(bare, 50));
        report.Add("4 startup", $"Start-ClaudeMcpServer (pwsh 7.6.9) to initialize reply, median of {runs}", Report.Ms(servedMedian),
            $"pwsh printing one word: {Report.Ms(bareMedian)}", "≤ 300 ms more than pwsh", servedMedian - bareMedian <= 300);

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
    private static async Task<double> TimeProcessAsync(string exe, string[] args, string? request, Action<long>? rssAfterReply = null)
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
        // Idle: what the process holds once the reply is out and nothing else is asked of it.
        if (rssAfterReply is not null)
        {
            await Task.Delay(200);
            rssAfterReply(ProcStats.Memory(process.Id).Rss);
        }
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return elapsed;
    }
}
