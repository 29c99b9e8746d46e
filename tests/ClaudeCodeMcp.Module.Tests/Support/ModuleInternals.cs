using System.Reflection;

namespace ClaudeCodeMcp.Module.Tests.Support;

/// <summary>
/// Reaches the loaded module's internals by reflection (this project references no module assembly, so that
/// the engine loads from Dependencies/ exactly as in pwsh).
/// </summary>
public static class ModuleInternals
{
    public static Assembly? RootAssembly =>
        AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "ClaudeCodeMcp" && !a.IsDynamic);

    /// <summary>Stops the children of a state folder's engine and forgets it, so tests do not pile up engines.</summary>
    public static void ReleaseEngine(string stateDirectory)
    {
        var type = RootAssembly?.GetType("ClaudeCodeMcp.SharedEngine");
        type?.GetMethod("Release", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!.Invoke(null, [stateDirectory]);
    }

    /// <summary>A job's engine record with another state (and, when it ends, a result), as the engine would send it.</summary>
    public static object RecordWithState(object job, string state)
    {
        var record = job.GetType().GetProperty("Record", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(job)!;
        var copy = record.GetType().GetMethod("<Clone>$")!.Invoke(record, null)!;
        var stateType = record.GetType().GetProperty("State")!.PropertyType;
        record.GetType().GetProperty("State")!.SetValue(copy, Enum.Parse(stateType, state));
        if (state == "Failed") record.GetType().GetProperty("Error")!.SetValue(copy, "made up for the test");
        return copy;
    }

    /// <summary>A new job (not registered with any job manager) over a copy of <paramref name="job"/>'s record in <paramref name="state"/>.</summary>
    public static System.Management.Automation.Job2 NewJob(object job, string state)
    {
        var engine = job.GetType().GetProperty("Engine", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(job)!;
        var record = RecordWithState(job, state);
        var ctor = job.GetType().GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic).Single();
        return (System.Management.Automation.Job2)ctor.Invoke([engine, record]);
    }

    /// <summary>Hands a job a record, as the engine's events and the store's polls do (from any thread).</summary>
    public static void Apply(object job, object record) =>
        job.GetType().GetMethod("Apply", BindingFlags.Instance | BindingFlags.NonPublic)!.Invoke(job, [record]);
}
