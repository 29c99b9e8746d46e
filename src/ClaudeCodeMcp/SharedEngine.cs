using System.Collections.Concurrent;
using ClaudeCodeMcp.Engine;
using ClaudeCodeMcp.Engine.Store;

namespace ClaudeCodeMcp;

/// <summary>
/// One task engine per state folder per process, shared by every runspace: created on first use, its
/// tasks' changes fanned out to the jobs that follow them. Children stop when the module is removed for
/// the last time, or when the process exits.
/// </summary>
internal sealed class SharedEngine
{
    private static readonly ConcurrentDictionary<string, Lazy<SharedEngine>> Engines =
        new(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, byte> _owned = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Action<ClaudeTaskRecord>, byte>> _followers = new(StringComparer.Ordinal);

    private SharedEngine(string stateDirectory)
    {
        Manager = new ClaudeTaskManager(new ClaudeEngineOptions { StateDirectory = stateDirectory });
        Manager.TaskChanged += OnTaskChanged;
    }

    public ClaudeTaskManager Manager { get; }

    /// <summary>The state folder, as the store spells it.</summary>
    public string Root => Manager.Store.Root;

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

    /// <summary>Stops every child of every engine of this process and forgets the engines.</summary>
    public static void DisposeAll()
    {
        var engines = Engines.Values.Where(l => l.IsValueCreated).Select(l => l.Value).ToList();
        Engines.Clear();
        Task.WhenAll(engines.Select(e => e.Manager.DisposeAsync().AsTask())).Wait(TimeSpan.FromSeconds(30));
    }

    /// <summary>Stops the children of one state folder's engine and forgets it (tests, which use many folders).</summary>
    internal static void Release(string stateDirectory)
    {
        var directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(stateDirectory));
        if (Engines.TryRemove(directory, out var lazy) && lazy.IsValueCreated) lazy.Value.Manager.Dispose();
    }

    public ClaudeTaskRecord Start(ClaudeTaskSpec spec)
    {
        var record = Manager.Start(spec);
        _owned[record.Id] = 0;
        return record;
    }

    /// <summary>True when this engine runs the task, so its changes arrive as events rather than from the store.</summary>
    public bool Owns(string id) => _owned.ContainsKey(id);

    /// <summary>Calls <paramref name="follower"/> on every change of a task this engine owns, until disposed.</summary>
    public IDisposable Follow(string id, Action<ClaudeTaskRecord> follower)
    {
        var set = _followers.GetOrAdd(id, _ => new ConcurrentDictionary<Action<ClaudeTaskRecord>, byte>());
        set[follower] = 0;
        return new Unfollow(() => set.TryRemove(follower, out _));
    }

    private void OnTaskChanged(ClaudeTaskRecord record)
    {
        if (!_followers.TryGetValue(record.Id, out var set)) return;
        foreach (var follower in set.Keys) follower(record);
        if (record.IsFinished && set.IsEmpty) _followers.TryRemove(record.Id, out _);
    }

    private sealed class Unfollow(Action action) : IDisposable
    {
        private Action? _action = action;
        public void Dispose() => Interlocked.Exchange(ref _action, null)?.Invoke();
    }
}
