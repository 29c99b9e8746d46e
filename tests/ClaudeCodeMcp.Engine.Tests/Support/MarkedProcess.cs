using System.Diagnostics;

namespace ClaudeCodeMcp.Engine.Tests.Support;

/// <summary>
/// A process carrying a task's marker (<c>CLAUDE_CODE_MCP_TASK_ID</c>) as every child the engine starts does: what a
/// task's own child looks like to the engine that finds it in a record, without starting a Claude session.
/// </summary>
public static class MarkedProcess
{
    public static Process Start(string taskId, string file, params string[] arguments)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var arg in arguments) psi.ArgumentList.Add(arg);
        psi.Environment[TaskNesting.TaskIdVariable] = taskId;
        return Process.Start(psi)!;
    }
}
