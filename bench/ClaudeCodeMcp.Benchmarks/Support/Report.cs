using System.Globalization;

namespace ClaudeCodeMcp.Benchmarks.Support;

/// <summary>Collects result rows (figure, baseline, target) and prints them as a markdown table.</summary>
public sealed class Report
{
    private readonly List<string[]> _rows = [];

    /// <summary>A smoke run (tiny N) only proves the scenarios still run: its figures are not judged.</summary>
    public bool Smoke { get; init; }

    public void Add(string scenario, string figure, string measured, string baseline, string target, bool? met)
    {
        var verdict = Smoke ? "(smoke)" : met switch { true => "met", false => "**missed**", null => "" };
        _rows.Add([scenario, figure, measured, baseline, target, verdict]);
        Console.Error.WriteLine($"{scenario} | {figure} | {measured} | {baseline} | {target} | {verdict}");
    }

    public string ToMarkdown()
    {
        var lines = new List<string>
        {
            "| scenario | figure | measured | baseline (same run) | target | |",
            "| --- | --- | --- | --- | --- | --- |",
        };
        lines.AddRange(_rows.Select(r => "| " + string.Join(" | ", r) + " |"));
        return string.Join('\n', lines);
    }

    public static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : "0", CultureInfo.InvariantCulture) + " ms";
    public static string Mb(double bytes) => (bytes / (1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
