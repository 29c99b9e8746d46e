// PwshHost -Command <script>: runs the script as `pwsh -NoProfile -NonInteractive -Command` would, its
// output through Out-Default, every stream written the console host's way. SIGINT stops the pipeline
// (pwsh's Ctrl+C); SIGTERM too. Exit code 1 when the script failed.
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.InteropServices;
using PwshHost;

var at = Array.IndexOf(args, "-Command");
if (at < 0 || at + 1 >= args.Length)
{
    Console.Error.WriteLine("usage: PwshHost -Command <script>");
    return 2;
}
var host = new ConsoleLikeHost();
using var runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
runspace.Open();
using var ps = PowerShell.Create(runspace);
ps.AddScript(args[at + 1]).AddCommand("Out-Default");
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    ps.BeginStop(null, null);
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
try
{
    ps.Invoke();
}
catch (PipelineStoppedException)
{
    return 0;
}
catch (RuntimeException e)
{
    Console.Error.WriteLine(e.ErrorRecord?.ToString() ?? e.Message);
    return 1;
}
foreach (var error in ps.Streams.Error) Console.Error.WriteLine(error.ToString());
return ps.HadErrors ? 1 : host.ExitCode;
