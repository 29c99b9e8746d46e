using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Module.Tests.Support;

/// <summary>
/// A private temp folder (state, working directory) and a hosted PowerShell runspace that imported the module by
/// path, with the hidden -StateDirectory and -ClaudePath (the fake claude) set for every ClaudeCodeMcp cmdlet through
/// $PSDefaultParameterValues, and the location in the work folder. Disposing removes every task (stopping the
/// running ones), releases the state folder's engine, and checks that no process is left running in the folder.
/// </summary>
public sealed class ModuleSandbox : IAsyncDisposable
{
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    public ModuleSandbox(PSHost? host = null, bool import = true)
    {
        Root = Path.Combine(Path.GetTempPath(), "ccm-module-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(WorkDir);
        var state = InitialSessionState.CreateDefault2();
        Runspace = host is null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
        Runspace.Open();
        Runspace.SessionStateProxy.Path.SetLocation(WorkDir);
        if (import) Import();
    }

    public string Root { get; }
    public string StateDir => Path.Combine(Root, "state");
    public string WorkDir => Path.Combine(Root, "work");
    public Runspace Runspace { get; }

    public string File(string name) => Path.Combine(Root, name);

    public void Import() => Run("""
        Import-Module $ModulePath -ErrorAction Stop
        $PSDefaultParameterValues['*-Claude*:StateDirectory'] = $StateDir
        $PSDefaultParameterValues['*-Claude*:ClaudePath'] = $FakeClaude
        """, new() { ["ModulePath"] = TestPaths.ModuleManifest, ["StateDir"] = StateDir, ["FakeClaude"] = TestPaths.FakeClaude }).Ok();

    /// <summary>Runs a script to its end; terminating errors throw, other errors are in the result.</summary>
    public PsResult Run(string script, Dictionary<string, object?>? variables = null, IEnumerable? input = null)
    {
        using var call = Begin(script, variables, input);
        return call.End();
    }

    /// <summary>Starts a script; the caller ends or stops it.</summary>
    public PsCall Begin(string script, Dictionary<string, object?>? variables = null, IEnumerable? input = null)
    {
        foreach (var (name, value) in variables ?? []) Runspace.SessionStateProxy.SetVariable(name, value);
        var ps = PowerShell.Create();
        ps.Runspace = Runspace;
        ps.AddScript(script);
        return new PsCall(ps, input);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Runspace.RunspaceStateInfo.State == RunspaceState.Opened && Runspace.RunspaceAvailability == RunspaceAvailability.Available)
                Run("if (Get-Module ClaudeCodeMcp) { Get-ClaudeTask | Remove-ClaudeTask -Force -Confirm:$false -ErrorAction SilentlyContinue }");
            ModuleInternals.ReleaseEngine(StateDir);
            Runspace.Dispose();
            await ProcessAssert.AssertNoneLeftInAsync(Root);
        }
        finally
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>A script running in the sandbox's runspace.</summary>
public sealed class PsCall : IDisposable
{
    private readonly IAsyncResult _async;
    private readonly PSDataCollection<PSObject> _output = [];

    internal PsCall(PowerShell ps, IEnumerable? input)
    {
        PowerShell = ps;
        var inputCollection = new PSDataCollection<object>();
        if (input is not null)
        {
            foreach (var item in input) inputCollection.Add(item);
        }
        inputCollection.Complete();
        _async = ps.BeginInvoke(inputCollection, _output);
    }

    public PowerShell PowerShell { get; }

    /// <summary>Output so far (it grows while the script runs).</summary>
    public PSDataCollection<PSObject> Output => _output;

    /// <summary>Waits until at least <paramref name="count"/> objects were written (bounded, to catch hangs).</summary>
    public async Task<PSObject> OutputAsync(int count = 1)
    {
        await Eventually.TrueAsync(() =>
        {
            if (_output.Count >= count) return true;
            if (_async.IsCompleted) Assert.Fail($"The script ended with {_output.Count} objects; errors: {Errors()}");
            return false;
        }, $"{count} objects of output");
        return _output[count - 1];
    }

    public PsResult End()
    {
        if (!_async.AsyncWaitHandle.WaitOne(ModuleSandbox.Hang))
        {
            PowerShell.Stop();
            Assert.Fail("The script did not end in time.");
        }
        PowerShell.EndInvoke(_async);
        return new PsResult([.. _output], [.. PowerShell.Streams.Error], PowerShell.Streams);
    }

    /// <summary>Ctrl+C: stops the pipeline (StopProcessing of the running cmdlet) and waits for it to end.</summary>
    public void Stop()
    {
        PowerShell.Stop();
        Assert.True(_async.AsyncWaitHandle.WaitOne(ModuleSandbox.Hang), "The script did not stop in time.");
    }

    private string Errors() => string.Join("; ", PowerShell.Streams.Error.Select(e => e.ToString()));

    public void Dispose() => PowerShell.Dispose();
}

public sealed record PsResult(IReadOnlyList<PSObject> Output, IReadOnlyList<ErrorRecord> Errors, PSDataStreams Streams)
{
    public PSObject Single() => Assert.Single(Output);

    /// <summary>Asserts no error was written and returns the output.</summary>
    public IReadOnlyList<PSObject> Ok()
    {
        Assert.True(Errors.Count == 0, "Errors: " + string.Join(" | ", Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}\n{e.Exception}")));
        return Output;
    }
}

public static class PSObjectExtensions
{
    public static object? Get(this PSObject o, string property) =>
        (o.Properties[property] ?? throw new InvalidOperationException($"{o.TypeNames[0]} has no property {property}")).Value;

    public static string? Text(this PSObject o, string property) => o.Get(property)?.ToString();
}
