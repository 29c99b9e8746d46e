using System.Globalization;
using System.Text;
using ClaudeCodeMcp.Engine;

namespace ClaudeCodeMcp.Board;

/// <summary>
/// The text of Watch-ClaudeTask's board for a terminal of a given size: a summary line, a header, a line per task
/// (newest first: state, id, name, what it is doing now, elapsed, cost, tokens and, when any task has one, its
/// worktree branch) and, when they do not all fit, how many more there are. Every line fits the width; the column of
/// what each task does takes the room the others leave. Pure: the same tasks, size and time give the same text.
/// </summary>
internal static class TaskBoard
{
    private const int MinDoing = 12;

    public static IReadOnlyList<string> Render(IReadOnlyList<ClaudeTaskRecord> tasks, int width, int height, DateTimeOffset now, string? footer)
    {
        width = Math.Max(width, 40);
        var lines = new List<string> { Fit(Summary(tasks, now), width) };
        var wide = width >= 120;
        var name = wide ? 20 : 10;
        var branches = tasks.Any(t => t.Worktree is not null);
        var branch = branches ? (wide ? 26 : 13) : 0;
        // state 9, id 8, elapsed 7, cost 8, tokens 6, and a space before each column after the first
        var doing = width - (9 + 1 + 8 + 1 + name + 1 + 1 + 7 + 1 + 8 + 1 + 6 + (branches ? 1 + branch : 0));
        if (doing < MinDoing && branches)
        {
            branch = Math.Max(6, branch - (MinDoing - doing));
            doing = width - (9 + 1 + 8 + 1 + name + 1 + 1 + 7 + 1 + 8 + 1 + 6 + 1 + branch);
        }
        doing = Math.Max(doing, 4);
        string Row(string state, string id, string taskName, string what, string elapsed, string cost, string tokens, string branchName)
        {
            var row = new StringBuilder()
                .Append(Pad(state, 9)).Append(' ').Append(Pad(id, 8)).Append(' ').Append(Pad(taskName, name)).Append(' ')
                .Append(Pad(what, doing)).Append(' ').Append(Right(elapsed, 7)).Append(' ').Append(Right(cost, 8)).Append(' ').Append(Right(tokens, 6));
            if (branches) row.Append(' ').Append(Pad(branchName, branch));
            return Fit(row.ToString().TrimEnd(), width);
        }
        lines.Add(Row("State", "TaskId", "Name", "Doing", "Elapsed", "Cost", "Tokens", "Branch"));
        var room = Math.Max(1, height - lines.Count - (footer is null ? 0 : 1));
        var shown = tasks.Count <= room ? tasks.Count : room - 1;
        foreach (var task in tasks.Take(shown))
        {
            lines.Add(Row(task.State.ToWireName(), task.Id, task.Name ?? "", Doing(task), Elapsed(task, now), Cost(task.CostUsd),
                Tokens(task.Usage?.TotalTokens), task.Worktree?.Branch ?? ""));
        }
        if (shown < tasks.Count) lines.Add(Fit($"… {tasks.Count - shown} more, older (a taller terminal or -State shows them)", width));
        if (tasks.Count == 0) lines.Add(Fit("No tasks yet: they appear here as they start, from any process that shares the store.", width));
        if (footer is not null) lines.Add(Fit(footer, width));
        return lines;
    }

    /// <summary>The time, the count of tasks in each state that has any (in the order a task goes through them), cost and tokens.</summary>
    private static string Summary(IReadOnlyList<ClaudeTaskRecord> tasks, DateTimeOffset now)
    {
        var counts = Enum.GetValues<ClaudeTaskState>()
            .Select(state => (State: state, Count: tasks.Count(t => t.State == state)))
            .Where(c => c.Count > 0)
            .Select(c => $"{c.Count} {c.State.ToWireName().Replace('_', ' ')}");
        var cost = tasks.Sum(t => t.CostUsd ?? 0);
        var tokens = tasks.Sum(t => t.Usage?.TotalTokens ?? 0);
        return $"Claude tasks {now.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC: "
            + (tasks.Count == 0 ? "none" : string.Join(", ", counts))
            + $"; {(cost > 0 ? Cost(cost) : "$0")}, {(tokens > 0 ? Tokens(tokens) : "0")} tokens";
    }

    /// <summary>What the task does now, or how it ended: one line.</summary>
    private static string Doing(ClaudeTaskRecord task) => OneLine(task.State switch
    {
        ClaudeTaskState.Running => task.Activity?.Describe() ?? "starting",
        ClaudeTaskState.Queued => task.Activity?.Waiting ?? "waiting for a slot",
        ClaudeTaskState.Completed => task.Result ?? "",
        _ => task.Error ?? task.State.ToWireName(),
    });

    private static string Elapsed(ClaudeTaskRecord task, DateTimeOffset now)
    {
        if (task.StartedAt is not { } start) return "";
        var span = (task.EndedAt ?? now) - start;
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        return span.TotalHours >= 1
            ? ((int)span.TotalHours).ToString(CultureInfo.InvariantCulture) + span.ToString(@"\:mm\:ss", CultureInfo.InvariantCulture)
            : span.ToString(@"m\:ss", CultureInfo.InvariantCulture);
    }

    private static string Cost(double? usd) => usd is { } cost && cost > 0
        ? "$" + cost.ToString(cost >= 100 ? "0" : cost >= 1 ? "0.00" : "0.0000", CultureInfo.InvariantCulture)
        : "";

    private static string Tokens(long? count) => count switch
    {
        null or 0 => "",
        < 1_000 => count.Value.ToString(CultureInfo.InvariantCulture),
        < 1_000_000 => (count.Value / 1000.0).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => (count.Value / 1_000_000.0).ToString("0.#", CultureInfo.InvariantCulture) + "M",
    };

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ").Replace('\t', ' ').Trim();
        return new string(line.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
    }

    private static string Pad(string text, int width) => Fit(OneLine(text), width).PadRight(width);

    private static string Right(string text, int width) => Fit(text, width).PadLeft(width);

    /// <summary>The text cut to <paramref name="width"/> characters, an ellipsis saying it was cut.</summary>
    internal static string Fit(string text, int width) =>
        text.Length <= width ? text : width <= 1 ? text[..width] : text[..(width - 1)] + "…";
}
