using System.Collections.Concurrent;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Store;

namespace ClaudeCodeMcp;

/// <summary>
/// One task engine per state folder per process, shared by every runspace: created on first use, its
/// tasks' changes fanned out to the jobs that follow them. Engines live as long as the process: removing or
/// re-importing the module (<c>Import-Module -Force</c>) leaves their tasks running, and the engine stops
/// its children when the process exits.
/// </summary>
internal sealed class SharedEngine
{
    private static readonly ConcurrentDictionary<string, Lazy<SharedEngine>> Engines =
        new(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, byte> _owned = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Action<ClaudeTaskRecord>>> _followers = new(StringComparer.Ordinal);

    private readonly ForeignTaskFollower _foreign;

    private SharedEngine(string stateDirectory)
    {
        Manager = new ClaudeTaskManager(new ClaudeEngineOptions { StateDirectory = stateDirectory });
        Manager.TaskChanged += OnTaskChanged;
        _foreign = new ForeignTaskFollower(Manager);
    }

    public ClaudeTaskManager Manager { get; }

    /// <summary>The state folder, as the store spells it.</summary>
    public string Root => Manager.StateDirectory;

    /// <summary>
    /// The engine of a state folder: the one given, else <c>$env:CLAUDE_CODE_MCP_STATE_DIR</c> as it is now,
    /// else the user's state folder.
    /// </summary>
    public static SharedEngine For(string? stateDirectory)
    {
        var directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(
            string.IsNullOrWhiteSpace(stateDirectory) ? StateDirectory.Default(ChildEnvironment.Current()) : stateDirectory));
        var lazy = Engines.GetOrAdd(directory, d => new Lazy<SharedEngine>(() => new SharedEngine(d)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            Engines.TryRemove(new KeyValuePair<string, Lazy<SharedEngine>>(directory, lazy));
            throw;
        }
    }

    /// <summary>The engine of a state folder if this process already has one; never creates anything (tab completion).</summary>
    public static SharedEngine? Existing(string stateDirectory) =>
        Engines.TryGetValue(Path.TrimEndingDirectorySeparator(Path.GetFullPath(stateDirectory)), out var lazy) && lazy.IsValueCreated
            ? lazy.Value
            : null;

    /// <summary>Stops the children of one state folder's engine and forgets it (tests, which use many folders).</summary>
    internal static void Release(string stateDirectory)
    {
        var directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(stateDirectory));
        if (Engines.TryRemove(directory, out var lazy) && lazy.IsValueCreated) lazy.Value.Manager.Dispose();
    }

    /// <summary>Starts a task on <paramref name="throttle"/> (a cmdlet call's own), else on the engine's.</summary>
    public ClaudeTaskRecord Start(ClaudeTaskSpec spec, ClaudeTaskThrottle? throttle = null)
    {
        var record = Manager.Start(spec, throttle);
        _owned[record.Id] = 0;
        return record;
    }

    /// <summary>True when this engine runs the task, so its changes arrive as events rather than from the store.</summary>
    public bool Owns(string id) => _owned.ContainsKey(id);

    /// <summary>
    /// Calls <paramref name="follower"/> on every change of a task, until disposed or the task ends: at once from this
    /// engine's events when it owns the task, else after each round of the engine's one loop over other processes' tasks.
    /// </summary>
    public IDisposable Follow(string id, Action<ClaudeTaskRecord> follower)
    {
        if (!Owns(id)) return _foreign.Follow(id, follower);
        lock (_followers)
        {
            if (!_followers.TryGetValue(id, out var list)) _followers[id] = list = [];
            list.Add(follower);
        }
        return new Unfollow(() =>
        {
            lock (_followers)
            {
                if (!_followers.TryGetValue(id, out var list)) return;
                list.Remove(follower);
                if (list.Count == 0) _followers.Remove(id);
            }
        });
    }

    /// <summary>How many other processes' tasks the engine's loop follows now (tests).</summary>
    internal int ForeignFollowed => _foreign.Count;

    private void OnTaskChanged(ClaudeTaskRecord record)
    {
        Action<ClaudeTaskRecord>[] followers;
        lock (_followers)
        {
            if (!_followers.TryGetValue(record.Id, out var list)) return;
            followers = [.. list];
            // A finished task changes no more: its followers are told once, then dropped, whether or not they unfollow.
            if (record.IsFinished) _followers.Remove(record.Id);
        }
        foreach (var follower in followers) follower(record);
    }
}
