using System.Globalization;

namespace FakeClaude;

/// <summary>
/// What the fake remembers of a session between runs, as the real CLI keeps a transcript: only for a prompt with
/// <c>fake:fail-runs</c>, its prompt and how many times the session ran, in <c>$HOME/.fake-claude/sessions/</c> (tests
/// give every fake a private HOME). A run with <c>--resume=&lt;id&gt;</c> of such a session runs the stored prompt again,
/// as the next run: the engine's retry resumes with a short prompt of its own, and the script must go on as before.
/// </summary>
internal static class Sessions
{
    /// <summary>1 for a session's first run, 2 for its first resume…</summary>
    public static int Run { get; private set; } = 1;

    /// <summary>The prompt this run scripts: the stored one when the run resumes a remembered session, else <paramref name="prompt"/>.</summary>
    public static string Begin(string sessionId, bool resumed, string prompt)
    {
        var home = Environment.GetEnvironmentVariable("HOME");
        if (string.IsNullOrEmpty(home)) return prompt;
        var folder = Path.Combine(home, ".fake-claude", "sessions");
        var stored = Path.Combine(folder, sessionId + ".prompt");
        var runs = Path.Combine(folder, sessionId + ".runs");
        if (resumed && File.Exists(stored))
        {
            Run = int.Parse(File.ReadAllText(runs), CultureInfo.InvariantCulture) + 1;
            File.WriteAllText(runs, Run.ToString(CultureInfo.InvariantCulture));
            return File.ReadAllText(stored);
        }
        if (!prompt.Contains("fake:fail-runs", StringComparison.Ordinal)) return prompt;
        Directory.CreateDirectory(folder);
        File.WriteAllText(stored, prompt);
        File.WriteAllText(runs, "1");
        return prompt;
    }
}
