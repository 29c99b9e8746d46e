using System.Diagnostics;
using ClaudeCodeMcp.Engine.Processes;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Engine.Tests.Support;

/// <summary>
/// A process tree no task started: <c>setsid bash</c> with two <c>sleep</c>s, as any user's shell might be. A crafted
/// record can name it with its real pid and start time (both readable from /proc by anyone); the engine must leave it
/// alone. The test stops it itself, and checks it gone.
/// </summary>
public sealed class UnrelatedProcessTree : IAsyncDisposable
{
    private readonly Process _bash;

    private UnrelatedProcessTree(Process bash, ProcessIdentity identity, IReadOnlyList<int> sleeps)
    {
        _bash = bash;
        Identity = identity;
        Pids = [bash.Id, .. sleeps];
    }

    /// <summary>The bash's pid and real start time: what a crafted record writes as its child.</summary>
    public ProcessIdentity Identity { get; }

    /// <summary>The bash and its two sleeps.</summary>
    public IReadOnlyList<int> Pids { get; }

    public static async Task<UnrelatedProcessTree> StartAsync(string workingDirectory)
    {
        var psi = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var arg in new[] { "bash", "-c", "sleep 600 & sleep 600; wait" }) psi.ArgumentList.Add(arg);
        psi.Environment.Remove(TaskNesting.TaskIdVariable); // no marker of any task, whatever this test run's own
        var bash = Process.Start(psi)!;
        try
        {
            var sleeps = await Eventually.ThatAsync(() => ProcessTable.Descendants(bash.Id).ConvertAll(d => d.Pid), d => d.Count >= 2,
                "the unrelated bash's two sleeps", TimeSpan.FromSeconds(10));
            return new UnrelatedProcessTree(bash, ProcessIdentity.Of(bash.Id)!, sleeps);
        }
        catch
        {
            bash.Kill(entireProcessTree: true);
            bash.Dispose();
            throw;
        }
    }

    /// <summary>Fails unless the bash and both sleeps still run, the bash with the start time it had.</summary>
    public void AssertAllAlive()
    {
        Assert.True(Identity.IsAlive(), $"the unrelated bash {Identity.Pid} was killed");
        Assert.All(Pids, pid => Assert.True(ProcessAssert.IsAlive(pid), $"the unrelated process {pid} was killed"));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pid in Pids) ProcessAssert.Kill(pid);
        await ProcessAssert.AssertGoneAsync(Pids);
        await _bash.WaitForExitAsync();
        _bash.Dispose();
    }
}
