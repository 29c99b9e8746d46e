using ClaudeCodeMcp.Engine;

namespace ClaudeCodeMcp;

/// <summary>
/// Keeps this process's view of other processes' unfinished tasks current: one loop per engine, however many jobs
/// follow however many tasks. Each round waits (the store's own wait: a finish anywhere ends it at once) for any of
/// the followed tasks to finish, at most a second, then hands every follower its task's latest record; finished
/// and vanished tasks drop out, and the loop ends when nobody follows anything.
/// </summary>
internal sealed class ForeignTaskFollower(ClaudeTaskManager manager)
{
    private static readonly TimeSpan Round = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, List<Action<ClaudeTaskRecord>>> _followers = new(StringComparer.Ordinal);
    private bool _looping;

    /// <summary>Calls <paramref name="follower"/> with the task's record after each round, until disposed or the task ends.</summary>
    public IDisposable Follow(string id, Action<ClaudeTaskRecord> follower)
    {
        lock (_followers)
        {
            if (!_followers.TryGetValue(id, out var list)) _followers[id] = list = [];
            list.Add(follower);
            if (!_looping)
            {
                _looping = true;
                _ = Task.Run(LoopAsync);
            }
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

    /// <summary>How many tasks are followed now (tests).</summary>
    internal int Count
    {
        get
        {
            lock (_followers) return _followers.Count;
        }
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            string[] ids;
            lock (_followers)
            {
                if (_followers.Count == 0)
                {
                    _looping = false;
                    return;
                }
                ids = [.. _followers.Keys];
            }
            foreach (var (id, record) in await LatestAsync(ids).ConfigureAwait(false)) Tell(id, record);
        }
    }

    /// <summary>The records after one round; null for a task that is gone (removed by its owner).</summary>
    private async Task<List<(string Id, ClaudeTaskRecord? Record)>> LatestAsync(string[] ids)
    {
        try
        {
            var records = await manager.WaitAsync(ids, ClaudeWaitMode.Any, Round).ConfigureAwait(false);
            return records.Select(r => (r.Id, (ClaudeTaskRecord?)r)).ToList();
        }
        catch (ClaudeTaskException)
        {
            // One of them is gone: ask one by one.
            return ids.Select(id => (id, Read(id))).ToList();
        }
        catch (Exception)
        {
            // The store cannot be read just now (a full disk, a folder being moved): try again next round.
            await Task.Delay(Round).ConfigureAwait(false);
            return [];
        }
    }

    private ClaudeTaskRecord? Read(string id)
    {
        try
        {
            return manager.Get(id);
        }
        catch (ClaudeTaskException)
        {
            return null;
        }
    }

    private void Tell(string id, ClaudeTaskRecord? record)
    {
        Action<ClaudeTaskRecord>[] followers;
        lock (_followers)
        {
            if (!_followers.TryGetValue(id, out var list)) return;
            followers = [.. list];
            if (record is null || record.IsFinished) _followers.Remove(id);
        }
        if (record is null) return;
        foreach (var follower in followers) follower(record);
    }
}
