using ClaudeCodeMcp.Engine.Tests.Support;

namespace ClaudeCodeMcp.Reliability.Tests.Support;

/// <summary>
/// A <c>claude</c> that costs almost nothing to start (a shell script, not a .NET program): it sleeps a
/// little, then prints an init event and a successful result whose text is its prompt (plain words only).
/// Used where the measurement must be of the server, not of 8 .NET start-ups fighting over 2 cores.
/// </summary>
public static class LightClaude
{
    public static string Create(Sandbox sandbox, double sleepSeconds)
    {
        var path = sandbox.File("light-claude");
        File.WriteAllText(path, $$"""
            #!/bin/sh
            prompt=$(cat)
            sleep {{sleepSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}}
            printf '%s\n' '{"type":"system","subtype":"init","session_id":"11111111-0000-4000-8000-000000000000","model":"light","cwd":"/","tools":[]}'
            printf '{"type":"result","subtype":"success","is_error":false,"result":"%s","session_id":"11111111-0000-4000-8000-000000000000","num_turns":1,"duration_ms":1,"total_cost_usd":0}\n' "$prompt"
            """.Replace("\r", ""));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
