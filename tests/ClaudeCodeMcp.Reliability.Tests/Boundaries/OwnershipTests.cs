using System.Diagnostics;
using ClaudeCodeMcp.Engine.Tests.Support;
using ClaudeCodeMcp.Mcp.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Reliability.Tests.Boundaries;

/// <summary>
/// The host's own files belong to the user: a state folder another user made first is refused at start with a message,
/// and a <c>--log-file</c> planted as a link or owned by another user is refused without writing through it.
/// </summary>
public sealed class OwnershipTests
{
    private const string Precious = "the user's own file\n";

    [OtherUserFact]
    public async Task The_host_refuses_a_state_folder_another_user_made_first_and_says_what_to_do()
    {
        await using var sandbox = new Sandbox();
        var shared = sandbox.File("shared");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)Convert.ToInt32("1777", 8));
        var state = Path.Combine(shared, "state");
        OtherUser.Run("mkdir", "-m", "0777", state);

        var (code, stdout, stderr) = await RunAsync(sandbox, "--state-dir", state);

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains(state, stderr);
        Assert.Contains($"uid {OtherUser.Id}", stderr);
        Assert.Contains("--state-dir", stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(state));
    }

    [Fact]
    public async Task A_log_file_planted_as_a_link_is_refused_and_what_it_names_is_untouched()
    {
        await using var sandbox = new Sandbox();
        var precious = sandbox.File("precious.txt");
        File.WriteAllText(precious, Precious);
        var log = sandbox.File("host.log");
        File.CreateSymbolicLink(log, precious);
        var dangling = sandbox.File("dangling.log");
        var made = sandbox.File("made-through-the-link.txt");
        File.CreateSymbolicLink(dangling, made);

        var (code, _, stderr) = await RunAsync(sandbox, "--log-file", log, "--verbose");
        var (danglingCode, _, danglingErr) = await RunAsync(sandbox, "--log-file", dangling, "--verbose");

        Assert.Equal(1, code);
        Assert.Contains("symbolic link", stderr);
        Assert.Contains(log, stderr);
        Assert.Equal(Precious, File.ReadAllText(precious));
        Assert.Equal(1, danglingCode);
        Assert.Contains("symbolic link", danglingErr);
        Assert.False(File.Exists(made));
    }

    [OtherUserFact]
    public async Task A_log_file_another_user_owns_is_refused_and_left_as_it_was()
    {
        await using var sandbox = new Sandbox();
        var log = sandbox.File("host.log");
        File.WriteAllText(log, Precious);
        OtherUser.Own(log);

        var (code, _, stderr) = await RunAsync(sandbox, "--log-file", log, "--verbose");

        Assert.Equal(1, code);
        Assert.Contains($"uid {OtherUser.Id}", stderr);
        Assert.Equal(Precious, File.ReadAllText(log));
    }

    [Fact]
    public async Task A_log_file_of_ours_is_appended_to()
    {
        await using var sandbox = new Sandbox();
        var log = sandbox.File("host.log");
        File.WriteAllText(log, Precious);

        var (code, _, stderr) = await RunAsync(sandbox, "--log-file", log, "--verbose");

        Assert.True(code == 0, stderr);
        var text = File.ReadAllText(log);
        Assert.StartsWith(Precious, text);
        Assert.Contains("serving", text[Precious.Length..]);
    }

    /// <summary>Runs the host with its input closed at once: it serves nothing and ends, or refuses to start.</summary>
    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(Sandbox sandbox, params string[] flags)
    {
        var psi = StdioHost.StartInfo(sandbox, flags);
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
