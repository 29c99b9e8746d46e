using System.Globalization;
using System.Text;
using ClaudeCodeMcp.Engine;
using ModelContextProtocol.Protocol;

namespace ClaudeCodeMcp.Mcp;

/// <summary>Builds tool results: short readable text plus structured content that matches the output schema.</summary>
internal static class ToolResults
{
    /// <summary>A single task's result is cut here (about 5,000 tokens), with a pointer to claude_code_get_output.</summary>
    public const int MaxResultChars = 20_000;

    /// <summary>The results and errors of a list or wait share this many characters (50 tasks: 200 each).</summary>
    public const int MaxListResultChars = 10_000;

    /// <summary>A list or wait answer stays under this many characters in all (some 12,000 tokens).</summary>
    public const int MaxListChars = 48_000;

    public static CallToolResult Make<T>(T structured, ResultShape<T> shape, string text, bool isError = false) => new()
    {
        Content = [new TextContentBlock { Text = text }],
        StructuredContent = shape.ToElement(structured),
        IsError = isError,
    };

    public static CallToolResult Error(string message) => new()
    {
        Content = [new TextContentBlock { Text = message }],
        IsError = true,
    };

    public static CallToolResult Status(ClaudeTaskRecord task)
    {
        var record = StatusRecord.From(task, MaxResultChars);
        return Make(record, StatusRecord.Shape, Describe(record));
    }

    public static CallToolResult List(IReadOnlyList<ClaudeTaskRecord> tasks, string message)
    {
        var perTask = tasks.Count == 0 ? MaxResultChars : Math.Clamp(MaxListResultChars / tasks.Count, 120, MaxResultChars);
        var records = new List<StatusRecord>(tasks.Count);
        var size = 0;
        foreach (var task in tasks)
        {
            var record = StatusRecord.From(task, perTask, brief: tasks.Count > 1);
            size += ApproximateSize(record);
            if (size > MaxListChars && records.Count > 0) break;
            records.Add(record);
        }
        if (records.Count < tasks.Count)
        {
            message += $" {tasks.Count - records.Count} more task(s) are not shown, to keep this answer small: "
                + "narrow the request (status, limit, fewer task_ids) or call claude_code_check_result for one task.";
        }
        var text = new StringBuilder(message);
        foreach (var r in records)
        {
            text.Append('\n').Append("- Task ID: ").Append(r.TaskId).Append(" [").Append(r.Status).Append(']');
            if (r.Name is not null) text.Append(' ').Append(r.Name);
            var detail = r.Activity ?? r.Error ?? r.Result;
            if (detail is not null) text.Append(": ").Append(OneLine(detail, 100));
        }
        return Make(new TaskList(records, message), TaskList.Shape, text.ToString());
    }

    /// <summary>About how many characters a record takes as JSON, plus its line of text (escaping aside).</summary>
    private static int ApproximateSize(StatusRecord r) =>
        500 + (r.Result?.Length ?? 0) + (r.StructuredOutput?.Length ?? 0) + (r.Error?.Length ?? 0) + r.Message.Length + (r.WorkingDir?.Length ?? 0)
        + (r.Name?.Length ?? 0) + (r.Activity?.Length ?? 0) + r.PermissionDenials.Sum(d => d.Length + 3)
        + (r.Worktree is { } w
            ? 400 + w.Repository.Length + w.Path.Length + w.Branch.Length + w.BaseRef.Length + (w.Problem?.Length ?? 0)
              + w.ChangedFiles.Sum(f => f.Length + 3) + w.UncommittedFiles.Sum(f => f.Length + 3)
            : 0);

    /// <summary>A status record as lines a person reads.</summary>
    public static string Describe(StatusRecord r)
    {
        var text = new StringBuilder();
        text.Append("Task ID: ").Append(r.TaskId).Append('\n');
        if (r.Name is not null) text.Append("Name: ").Append(r.Name).Append('\n');
        text.Append("Status: ").Append(r.Status).Append('\n');
        if (r.Activity is not null) text.Append("Activity: ").Append(r.Activity).Append('\n');
        var facts = new List<string>();
        if (r.SessionId is not null) facts.Add($"session {r.SessionId}");
        if (r.Model is not null) facts.Add(r.Model);
        if (r.CostUsd is { } cost) facts.Add("$" + cost.ToString("0.####", CultureInfo.InvariantCulture));
        if (r.NumTurns is { } turns) facts.Add($"{turns} turns");
        if (r.DurationMs is { } ms) facts.Add((ms / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + " s");
        if (facts.Count > 0) text.Append(string.Join(", ", facts)).Append('\n');
        if (r.Worktree is { } w)
        {
            text.Append("Worktree: ").Append(w.Path).Append(" (branch ").Append(w.Branch).Append(", ")
                .Append(w.CommitsAhead).Append(" commit(s) ahead of ").Append(w.ShortBase).Append(", ")
                .Append(w.ChangedFileCount).Append(" file(s) changed, ").Append(w.UncommittedFileCount).Append(" uncommitted)\n");
        }
        if (r.PermissionDenials.Count > 0) text.Append("Denied tools: ").Append(string.Join(", ", r.PermissionDenials)).Append('\n');
        if (r.Error is not null) text.Append("Error: ").Append(r.Error).Append('\n');
        if (r.Result is not null) text.Append("Result:\n").Append(r.Result).Append('\n');
        text.Append(r.Message);
        return text.ToString();
    }

    private static string OneLine(string text, int max)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= max ? flat : flat[..max] + "…";
    }
}
