using System.Diagnostics;

namespace ClaudeCodeMcp.Benchmarks.Support;

/// <summary>
/// A busy machine, as a user running several agents has one: half the processes spin on the CPU, half start
/// short processes without pause (fork, exec and /proc churn). Disposing stops them all.
/// </summary>
public sealed class MachineLoad : IDisposable
{
    private readonly List<Process> _processes = [];

    public static MachineLoad Start(int processes)
    {
        var load = new MachineLoad();
        for (var i = 0; i < processes; i++)
        {
            var psi = new ProcessStartInfo("sh") { RedirectStandardInput = true };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(i % 2 == 0 ? "while :; do :; done" : "while :; do /bin/true; done");
            load._processes.Add(Process.Start(psi)!);
        }
        Thread.Sleep(500); // let the load settle in before anything is measured
        return load;
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
            catch (InvalidOperationException)
            {
            }
            process.Dispose();
        }
    }
}
