using System.Diagnostics;
using System.Text;

namespace ClaudeCodeMcp.Engine.Processes;

/// <summary>
/// A child started with no shell and all three pipes redirected: its identity known at once, its input written and
/// closed, its output streams, its exit, and a stop of its whole tree (SIGTERM, a grace period, then a kill).
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process)
    {
        _process = process;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => _exited.TrySetResult();
        if (process.HasExited) _exited.TrySetResult();
        Identity = ProcessIdentity.Of(process.Id) ?? new ProcessIdentity(process.Id, "exited");
        ChildWatchdog.Shared?.Watch(Identity); // should this process die first, the child dies with it
    }

    /// <summary>The child's pid and start time, so a recycled pid is never taken for it.</summary>
    public ProcessIdentity Identity { get; }

    /// <summary>Completes when the child exits.</summary>
    public Task Exited => _exited.Task;

    /// <summary>The exit code, or null while the child runs.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public Stream StandardOutput => _process.StandardOutput.BaseStream;

    public Stream StandardError => _process.StandardError.BaseStream;

    /// <summary>True when nobody can write to the child's stdout any more (<see cref="PipeWriters"/>): whatever is left in it will end.</summary>
    public bool StandardOutputWritersGone => PipeWriters.AllClosed(StandardOutput);

    /// <summary>
    /// Starts <paramref name="path"/> with exactly these arguments and this environment (nothing inherited). Neither
    /// copy of the environment outlives the start: the child has its own.
    /// </summary>
    public static ChildProcess Start(string path, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string> environment)
    {
        var psi = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (var arg in arguments) psi.ArgumentList.Add(arg);
        psi.Environment.Clear();
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        var process = Process.Start(psi) ?? throw new ClaudeTaskException(ClaudeErrorCode.StartFailed, "The process did not start.");
        psi.Environment.Clear(); // the process keeps its start info
        try
        {
            return new ChildProcess(process);
        }
        catch
        {
            // Not watched, so not supervised: it must not run on.
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            process.Dispose();
            throw;
        }
    }

    /// <summary>Writes <paramref name="text"/> to the child's stdin and closes it; a child that exited without reading it is no error.</summary>
    public async Task WriteInputAsync(string text)
    {
        try
        {
            await _process.StandardInput.WriteAsync(text).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The child exited without reading its input; its exit tells why.
        }
        finally
        {
            try
            {
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
                // Same as above.
            }
        }
    }

    /// <summary>SIGTERM, up to <paramref name="grace"/> for the child to exit, then whatever is left of its tree killed.</summary>
    public Task StopAsync(TimeSpan grace) => ProcessTree.StopAsync(Identity, grace, Exited);

    /// <summary>Kills the whole tree at once.</summary>
    public void Kill() => ProcessTree.Kill(Identity);

    /// <summary>Waits for the exit, at most <paramref name="within"/> (a killed tree exits within moments).</summary>
    public Task WaitForExitAsync(TimeSpan within) => Task.WhenAny(Exited, Task.Delay(within));

    public void Dispose()
    {
        ChildWatchdog.Shared?.Forget(Identity);
        _process.Dispose();
    }
}
