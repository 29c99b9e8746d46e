using System.Diagnostics;

namespace ClaudeCodeMcp.Engine.Tests.Support;

/// <summary>
/// A second local user (uid and gid 12345, no groups), as the review used to plant a state folder: commands run as it
/// through <c>setpriv</c>, which needs root (the test machines run tests as root).
/// </summary>
public static class OtherUser
{
    public const int Id = 12345;
    private const string SetPriv = "/usr/bin/setpriv";

    /// <summary>Whether this machine can act as another user: Unix, root, and setpriv present.</summary>
    public static bool Available => !OperatingSystem.IsWindows() && Environment.UserName == "root" && File.Exists(SetPriv);

    /// <summary>Runs a command as the other user and waits for it; fails the test if it fails.</summary>
    public static void Run(params string[] command) =>
        Exec(SetPriv, ["--reuid", Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--regid", Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--clear-groups", .. command]);

    /// <summary>Gives a path to the other user (<c>chown</c>, as root).</summary>
    public static void Own(string path) => Exec("chown", [$"{Id}:{Id}", path]);

    private static void Exec(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new Xunit.Sdk.XunitException($"{file} {string.Join(' ', args)} hung");
        }
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}");
    }
}

/// <summary>A fact that needs a second user (<see cref="OtherUser"/>): skipped where the tests do not run as root.</summary>
public sealed class OtherUserFactAttribute : FactAttribute
{
    public OtherUserFactAttribute()
    {
        if (!OtherUser.Available) Skip = "Needs root and /usr/bin/setpriv to act as a second user.";
    }
}

/// <summary>A theory that needs a second user (<see cref="OtherUser"/>).</summary>
public sealed class OtherUserTheoryAttribute : TheoryAttribute
{
    public OtherUserTheoryAttribute()
    {
        if (!OtherUser.Available) Skip = "Needs root and /usr/bin/setpriv to act as a second user.";
    }
}
