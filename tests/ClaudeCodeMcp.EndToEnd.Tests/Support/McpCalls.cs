using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace ClaudeCodeMcp.EndToEnd.Tests.Support;

/// <summary>Calling the task tools of the standalone host and reading their status records.</summary>
public static class McpCalls
{
    public static async Task<CallToolResult> CallAsync(this McpClient client, string tool, object arguments)
    {
        var args = JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments))!;
        return await client.CallToolAsync(tool, args).AsTask().WaitAsync(EndToEndRig.Hang);
    }

    /// <summary>Starts a task with <c>claude_code_execute_async</c>; returns its id.</summary>
    public static async Task<string> StartTaskAsync(this McpClient client, object arguments)
    {
        var started = await client.CallAsync("claude_code_execute_async", arguments);
        Assert.False(started.IsError, started.Text());
        Assert.Contains("Task ID: ", started.Text());
        return started.Structured().Str("task_id");
    }

    /// <summary>Waits with <c>claude_code_wait</c> until all the tasks finish; returns their status records.</summary>
    public static async Task<List<JsonElement>> WaitAllAsync(this McpClient client, params string[] ids)
    {
        var waited = await client.CallAsync("claude_code_wait", new { task_ids = ids, return_when = "all", timeout = EndToEndRig.Hang.TotalSeconds });
        Assert.False(waited.IsError, waited.Text());
        var tasks = waited.Structured().GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal(ids.Length, tasks.Count);
        Assert.All(tasks, t => Assert.DoesNotContain(t.Str("status"), new[] { "queued", "running" }));
        return tasks;
    }

    public static string Text(this CallToolResult result) =>
        string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));

    public static JsonElement Structured(this CallToolResult result)
    {
        Assert.True(result.StructuredContent.HasValue, "the result has structured content: " + result.Text());
        return result.StructuredContent!.Value;
    }

    public static string Str(this JsonElement element, string name) =>
        element.GetProperty(name).ValueKind == JsonValueKind.Null ? null! : element.GetProperty(name).GetString()!;
}
