using System.Diagnostics;
using System.Text;

namespace ClaudeCodeMcp.Engine.Processes;

/// <summary>
/// Children die with their owner, however it ends: one small <c>/bin/sh</c> process per owning process learns of each
/// child as it starts and is forgotten when it ends, over a pipe whose only writer is this process. When the pipe
/// ends (this process exited, or was killed with SIGKILL before it could stop anything: Claude Code SIGKILLs its
/// servers 0.5 s after its SIGINT, and a busy machine may not give a host that long), the watchdog freezes and kills
/// every child still alive (checked by start time, so a recycled pid is never hit) with its whole tree, then exits.
/// <para>
/// A pipe the kernel closes, not <c>PR_SET_PDEATHSIG</c> (it fires when the forking <em>thread</em> ends, and .NET
/// starts processes from pool threads) nor a subreaper (it would make a host of pwsh adopt the user's orphans).
/// The shell, not a .NET process: about a megabyte and a millisecond to start, in every door alike. Only where
/// <c>/proc</c> and <c>/bin/sh</c> exist (Linux); elsewhere the next reader of the store stops what is left.
/// </para>
/// </summary>
internal sealed class ChildWatchdog
{
    /// <summary>The name the watchdog runs under (<c>$0</c>), as <c>ps</c> shows it.</summary>
    public const string Name = "claude-code-mcp-watchdog";

    // Input: "+pid:start" when a child starts, "-pid:start" when it ended; the end of input means the owner is gone.
    // Fields of /proc/<pid>/stat after "pid (comm) ": state ppid ... with starttime the 20th.
    private const string Script = """
        exec >/dev/null 2>&1
        trap '' INT HUP TERM PIPE
        roots=""
        while IFS= read -r line; do
          case $line in
            +*) roots="$roots ${line#+}" ;;
            -*) keep=""; for r in $roots; do [ "$r" = "${line#-}" ] || keep="$keep $r"; done; roots=$keep ;;
          esac
        done
        stat_of() {
          s=""
          { read -r s < "/proc/$1/stat"; } 2>/dev/null || return 1
          s=${s##*) }
          set -- $s
          [ "$1" != Z ] || return 1
          st_ppid=$2
          st_start=${20}
        }
        live() {
          out=""
          for r in $roots; do
            stat_of "${r%%:*}" && [ "$st_start" = "${r#*:}" ] && out="$out ${r%%:*}"
          done
          echo $out
        }
        tree() {
          set_=" $* "
          pairs=""
          for d in /proc/[0-9]*; do
            p=${d#/proc/}
            stat_of "$p" && pairs="$pairs $p:$st_ppid"
          done
          grown=1
          while [ $grown = 1 ]; do
            grown=0
            for pr in $pairs; do
              case $set_ in
                *" ${pr#*:} "*) case $set_ in *" ${pr%%:*} "*) ;; *) set_="$set_${pr%%:*} "; grown=1 ;; esac ;;
              esac
            done
          done
          echo $set_
        }
        alive=$(live)
        round=0
        while [ -n "$alive" ] && [ $round -lt 5 ]; do
          members=$(tree $alive)
          kill -s STOP $members
          members=$(tree $members)
          kill -s KILL $members
          sleep 0.05
          alive=$(live)
          round=$((round + 1))
        done
        """;

    private static readonly Lazy<ChildWatchdog?> Instance = new(TryStart, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly object _gate = new();
    private readonly Process _process;
    private readonly StreamWriter _input;
    private bool _broken;

    private ChildWatchdog(Process process)
    {
        _process = process;
        _input = process.StandardInput;
        _input.AutoFlush = true;
    }

    /// <summary>This process's watchdog, started on first use; null where there is none (not Linux, or it could not start).</summary>
    public static ChildWatchdog? Shared => Instance.Value;

    /// <summary>This process's watchdog if it has one already (it started children); never starts one.</summary>
    public static ChildWatchdog? Started => Instance.IsValueCreated ? Instance.Value : null;

    /// <summary>The watchdog's pid, for tests that must kill it (as a kill of every process of a user would).</summary>
    public int Pid => _process.Id;

    /// <summary>From now on, should this process end before <see cref="Forget"/>, the watchdog kills <paramref name="child"/>'s tree.</summary>
    public void Watch(ProcessIdentity child) => Send('+', child);

    /// <summary><paramref name="child"/> ended; its pid may be used again.</summary>
    public void Forget(ProcessIdentity child) => Send('-', child);

    private void Send(char verb, ProcessIdentity child)
    {
        lock (_gate)
        {
            if (_broken) return;
            try
            {
                _input.Write($"{verb}{child.Pid}:{child.StartTime}\n");
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The watchdog is gone (someone killed it): the next reader of the store stops what is left.
                _broken = true;
            }
        }
    }

    private static ChildWatchdog? TryStart()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/bin/sh") || !Directory.Exists("/proc/self")) return null;
        var psi = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            // All three redirected: the watchdog must never hold this process's stdout (an MCP channel) open.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (var arg in new[] { "-c", Script, Name }) psi.ArgumentList.Add(arg);
        psi.Environment.Clear();
        psi.Environment["PATH"] = "/usr/bin:/bin";
        psi.Environment["LC_ALL"] = "C";
        try
        {
            var process = Process.Start(psi);
            if (process is null) return null;
            process.StandardOutput.Close();
            process.StandardError.Close();
            return new ChildWatchdog(process);
        }
        catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }
    }
}
