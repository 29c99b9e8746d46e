using System.Globalization;

namespace ClaudeCodeMcp.Engine;

/// <summary>
/// The daily spend guard: when the tasks of the state folder started in the last 24 hours have together cost the
/// budget, new starts are refused, saying the spend, the budget and when room frees up; running tasks go on. The
/// records' cost is what counts, so the tasks of every process sharing the store count alike.
/// </summary>
public static class SpendGuard
{
    public const string Variable = "CLAUDE_CODE_MCP_DAILY_BUDGET_USD";

    /// <summary>How far back a task's cost counts.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    /// <summary>
    /// The budget in US dollars: the option, else <c>CLAUDE_CODE_MCP_DAILY_BUDGET_USD</c>, else none. A variable that
    /// is set but no positive number is refused rather than ignored: a typo must not turn the guard off.
    /// </summary>
    public static double? BudgetOf(double? option, IReadOnlyDictionary<string, string> environment)
    {
        if (option is { } given) return Positive(given, "The daily budget");
        if (!environment.TryGetValue(Variable, out var text) || string.IsNullOrWhiteSpace(text)) return null;
        return double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
                CultureInfo.InvariantCulture, out var budget) && double.IsFinite(budget) && budget > 0
            ? budget
            : throw new ClaudeTaskException(ClaudeErrorCode.InvalidArgument,
                $"{Variable} is '{text}', which is not a number of US dollars above 0; no task is started. Set it to the most the tasks "
                + "of a day may cost, e.g. 20 or 7.50, or unset it for no daily budget.");
    }

    private static double Positive(double budget, string what) => double.IsFinite(budget) && budget > 0
        ? budget
        : throw new ClaudeTaskException(ClaudeErrorCode.InvalidArgument, $"{what} must be a number of US dollars above 0, not {budget}.");

    /// <summary>Refuses a start when the tasks started in the <see cref="Window"/> before <paramref name="now"/> have cost the budget.</summary>
    public static void Check(double budget, IEnumerable<ClaudeTaskRecord> tasks, DateTimeOffset now)
    {
        var counted = tasks
            .Select(t => (At: t.StartedAt ?? t.CreatedAt, Cost: t.CostUsd is { } c && double.IsFinite(c) && c > 0 ? c : 0))
            .Where(t => t.Cost > 0 && t.At > now - Window && t.At <= now)
            .OrderBy(t => t.At)
            .ToList();
        var spent = counted.Sum(t => t.Cost);
        if (spent < budget) return;
        var left = spent;
        var frees = now + Window;
        foreach (var (at, cost) in counted)
        {
            left -= cost;
            if (left < budget)
            {
                frees = at + Window;
                break;
            }
        }
        throw new ClaudeTaskException(ClaudeErrorCode.BudgetExhausted,
            $"The tasks of this state folder started in the last 24 hours have cost {Dollars(spent)}, and the daily budget is "
            + $"{Dollars(budget)} ({Variable}), so no task is started. Room frees up at {frees.UtcDateTime:yyyy-MM-dd HH:mm} UTC, "
            + "when the tasks started before then no longer count; or raise the budget (--daily-budget-usd or -DailyBudgetUsd "
            + "where the server starts). Running tasks go on.");
    }

    private static string Dollars(double amount) => "$" + amount.ToString("0.00##", CultureInfo.InvariantCulture);
}
