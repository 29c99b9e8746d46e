using System.Text;
using ClaudeCodeMcp.Engine.Tests.Support;

namespace ClaudeCodeMcp.Reliability.Tests.Support;

/// <summary>
/// A <c>claude</c> for <c>--claude-path</c> that writes down how it was started and then runs the fake:
/// a shell wrapper that saves its argv (NUL-separated, one file per start) and its stdin (the prompt), then
/// execs the fake with the same argv and the same prompt. Whatever the server passes, it cannot hide here.
/// </summary>
public sealed class ArgvRecorder
{
    public ArgvRecorder(Sandbox sandbox)
    {
        Folder = sandbox.File("argv");
        Directory.CreateDirectory(Folder);
        Path = sandbox.File("claude-recorder");
        File.WriteAllText(Path, $$"""
            #!/bin/sh
            f=$(mktemp -p '{{Folder}}' start.XXXXXXXX)
            printf '%s\0' "$@" > "$f.argv"
            cat > "$f.stdin"
            mv "$f.argv" "$f.args"
            exec '{{TestPaths.FakeClaude}}' "$@" < "$f.stdin"
            """.Replace("\r", ""));
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The wrapper script: pass it as the server's <c>--claude-path</c>.</summary>
    public string Path { get; }

    public string Folder { get; }

    /// <summary>Every start so far: its argv and the prompt it got on stdin.</summary>
    public List<(string[] Argv, string Stdin)> Starts()
    {
        var starts = new List<(string[], string)>();
        foreach (var args in Directory.EnumerateFiles(Folder, "*.args"))
        {
            var bytes = File.ReadAllBytes(args);
            var text = Encoding.UTF8.GetString(bytes);
            var argv = text.Length == 0 ? [] : text[..^1].Split('\0');
            var stdinPath = args[..^".args".Length] + ".stdin";
            starts.Add((argv, File.Exists(stdinPath) ? Encoding.UTF8.GetString(File.ReadAllBytes(stdinPath)) : "")); // as sent: a leading BOM is kept
        }
        return starts;
    }
}
