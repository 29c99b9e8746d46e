using System.Management.Automation;
using System.Text;
using ClaudeCodeMcp.Board;
using ClaudeCodeMcp.Engine;

namespace ClaudeCodeMcp.Commands;

/// <summary>
/// A live board of the store's tasks, this process's and every other's: a line per task, newest first (state, id,
/// name, what it does now, elapsed, cost, tokens, worktree branch), redrawn in place until Ctrl+C or <c>q</c>. It fits
/// the terminal's width and height; <c>r</c> shows only queued and running tasks, <c>a</c> all again. When output is
/// redirected it prints the table again at each interval, plain, instead of redrawing.
/// </summary>
[Cmdlet(VerbsCommon.Watch, "ClaudeTask")]
[OutputType(typeof(void))]
public sealed class WatchClaudeTaskCommand : ClaudeCmdlet
{
    private const string Escape = "\u001b[";
    private const int PlainWidth = 120, PlainHeight = 1000;

    /// <summary>Only tasks with these names; wildcards are allowed.</summary>
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(TaskNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Only tasks in these states: the names PowerShell shows (TimedOut) or the wire names (timed_out).</summary>
    [Parameter]
    [TaskStateName]
    public ClaudeTaskState[] State { get; set; } = [];

    /// <summary>Only queued and running tasks (the <c>r</c> key does the same while it runs, <c>a</c> shows all again).</summary>
    [Parameter]
    public SwitchParameter Running { get; set; }

    /// <summary>Seconds between redraws (default 1).</summary>
    [Parameter]
    [ValidateRange(0.1, 3600.0)]
    public double Interval { get; set; } = 1;

    /// <summary>Draws this many times, then returns (default: until Ctrl+C or q).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; }

    protected override void EndProcessing()
    {
        var live = !Console.IsOutputRedirected && Host.UI.RawUI is not null && HasWindow();
        var runningOnly = Running.IsPresent;
        var patterns = NamePatterns(Name);
        if (live) Host.UI.Write(Escape + "?25l" + Escape + "H" + Escape + "2J"); // hide the cursor, clear the screen
        try
        {
            for (var drawn = 0; Count == 0 || drawn < Count; drawn++)
            {
                if (drawn > 0 && !Pause(live, ref runningOnly)) return;
                var tasks = Tasks(patterns, runningOnly);
                if (live)
                {
                    var size = Host.UI.RawUI!.WindowSize;
                    Draw(TaskBoard.Render(tasks, size.Width, size.Height, DateTimeOffset.UtcNow, Footer(runningOnly)), size.Height);
                }
                else
                {
                    foreach (var line in TaskBoard.Render(tasks, PlainWidth, PlainHeight, DateTimeOffset.UtcNow, footer: null)) Host.UI.WriteLine(line);
                    Host.UI.WriteLine();
                }
            }
        }
        finally
        {
            if (live) Host.UI.WriteLine(Escape + "?25h"); // the cursor back, below the board
        }
    }

    private List<ClaudeTaskRecord> Tasks(WildcardPattern[] patterns, bool runningOnly) =>
        ListStore(t => NamesMatch(t, patterns)
            && (State.Length == 0 || State.Contains(t.State))
            && (!runningOnly || t.State is ClaudeTaskState.Queued or ClaudeTaskState.Running));

    private static string Footer(bool runningOnly) =>
        (runningOnly ? "Queued and running only; a: all" : "r: queued and running only") + "   q: quit   Ctrl+C: stop";

    /// <summary>
    /// The board from the top left, each line at its own row (placed by the cursor, never by a newline, so a board as
    /// tall as the window never scrolls it) and cleared to its end, and whatever was below it cleared.
    /// </summary>
    private void Draw(IReadOnlyList<string> lines, int height)
    {
        var screen = new StringBuilder();
        for (var row = 0; row < lines.Count; row++)
        {
            screen.Append(Escape).Append(row + 1).Append(";1H").Append(lines[row]).Append(Escape).Append('K');
        }
        if (lines.Count < height) screen.Append(Escape).Append(lines.Count + 1).Append(";1H").Append(Escape).Append('J');
        Host.UI.Write(screen.ToString());
    }

    /// <summary>Waits an interval, reading keys when live; false when the user asked to quit.</summary>
    private bool Pause(bool live, ref bool runningOnly)
    {
        var until = DateTime.UtcNow.AddSeconds(Interval);
        while (DateTime.UtcNow < until)
        {
            if (live && KeyAvailable())
            {
                switch (char.ToLowerInvariant(Console.ReadKey(intercept: true).KeyChar))
                {
                    case 'q':
                        return false;
                    case 'r':
                        runningOnly = true;
                        return true;
                    case 'a':
                        runningOnly = false;
                        return true;
                }
            }
            Await(System.Threading.Tasks.Task.Delay(TimeSpan.FromMilliseconds(Math.Min(100, Interval * 1000)), StopToken));
        }
        return true;
    }

    private static bool KeyAvailable()
    {
        try
        {
            return !Console.IsInputRedirected && Console.KeyAvailable;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private bool HasWindow()
    {
        try
        {
            return Host.UI.RawUI.WindowSize.Width > 0;
        }
        catch (Exception e) when (e is NotImplementedException or System.Management.Automation.Host.HostException or IOException)
        {
            return false;
        }
    }
}
