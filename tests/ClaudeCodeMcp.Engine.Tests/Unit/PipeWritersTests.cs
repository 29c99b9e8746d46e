using System.Diagnostics;
using ClaudeCodeMcp.Engine.Processes;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

/// <summary>
/// After a child exits, its output pipe is either still held by a grandchild (not worth waiting for) or held by nobody,
/// with lines maybe still unread (worth reading to the end): <see cref="PipeWriters"/> tells the two apart.
/// </summary>
public sealed class PipeWritersTests : IDisposable
{
    private readonly UnitTempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [UnixFact]
    public async Task A_pipe_a_grandchild_holds_is_not_closed_until_the_grandchild_is_gone_and_its_unread_line_is_kept()
    {
        var pidFile = Path.Combine(_temp.Path, "grandchild.pid");
        using var child = Start($"echo the result; sleep 60 & echo $! > '{pidFile}'; exit 0");
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var grandchild = Process.GetProcessById(int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            Assert.False(PipeWriters.AllClosed(child.StandardOutput.BaseStream), "the grandchild still holds the pipe");
        }
        finally
        {
            grandchild.Kill();
            await grandchild.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        await Eventually.TrueAsync(() => PipeWriters.AllClosed(child.StandardOutput.BaseStream), "the pipe without writers");
        Assert.Equal("the result\n", await child.StandardOutput.ReadToEndAsync());
    }

    [UnixFact]
    public async Task A_pipe_nobody_holds_is_closed_while_its_lines_are_still_unread()
    {
        using var child = Start("echo the result; exit 0");
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(PipeWriters.AllClosed(child.StandardOutput.BaseStream));
        Assert.Equal("the result\n", await child.StandardOutput.ReadToEndAsync());
    }

    [Fact]
    public void What_is_no_pipe_cannot_be_told_closed()
    {
        Assert.False(PipeWriters.AllClosed(new MemoryStream([1, 2, 3])));
    }

    private static Process Start(string script)
    {
        var info = new ProcessStartInfo("sh") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        return Process.Start(info)!;
    }
}
