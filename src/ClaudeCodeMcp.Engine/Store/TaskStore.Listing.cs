namespace ClaudeCodeMcp.Engine.Store;

/// <summary>
/// Listing the store: every task, newest first. The last reading of the tasks folder is reused while the folder is
/// unchanged (<see cref="TaskListing"/>); a fresh reading takes the finished records it does not know yet from the
/// <see cref="ListingDigest"/> where that holds their files as they are, else from the files, on every core when there
/// are many; one fresh reading at a time.
/// </summary>
internal sealed partial class TaskStore
{
    private readonly TaskListing _listing = new();
    private readonly object _listingGate = new();

    /// <summary>Every task in the store, newest first.</summary>
    public List<ClaudeTaskRecord> List()
    {
        DateTime stamp;
        try
        {
            stamp = TaskListing.Stamp(TasksDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        if (_listing.TryReuse(stamp) is { } known) return ReadAll(known);
        // One reading of the folder at a time: a second caller (the scan for orphans at start, a request) waits for the
        // first and then finds its records known, instead of reading every record a second time beside it.
        lock (_listingGate)
        {
            if (_listing.TryReuse(stamp) is { } readMeanwhile) return ReadAll(readMeanwhile);
            return ReadFolder(stamp);
        }
    }

    private List<ClaudeTaskRecord> ReadFolder(DateTime stamp)
    {
        var readAt = DateTime.UtcNow;
        var ids = new List<string>();
        try
        {
            foreach (var dir in Directory.EnumerateDirectories(TasksDirectory))
            {
                var id = Path.GetFileName(dir);
                if (TaskId.IsValid(id)) ids.Add(id);
            }
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
        var records = OperatingSystem.IsWindows() ? ReadAll(ids) : ReadAllThroughDigest(ids);
        records.Sort((a, b) => b.CreatedAt.CompareTo(a.CreatedAt));
        _listing.Remember(stamp, readAt, records.ConvertAll(r => r.Id));
        return records;
    }

    /// <summary>Below this many records to read, one thread reads them: starting others would cost more than it saves.</summary>
    private const int ParallelReadThreshold = 256;

    /// <summary>
    /// The records of these tasks, those not known yet read from disk. Many unknown ones (the first listing of a large
    /// store) are read on every core: each is a file of its own, and opening and parsing it is most of the time a listing
    /// takes (docs/benchmarks.md, scenario 7).
    /// </summary>
    private List<ClaudeTaskRecord> ReadAll(IReadOnlyList<string> ids)
    {
        var found = new ClaudeTaskRecord?[ids.Count];
        ForEachUnknown(ids, found, i => found[i] = Read(ids[i]));
        return Listed(found);
    }

    /// <summary>Fills <paramref name="found"/> with the records this process knows, and runs <paramref name="read"/> for
    /// each place left, on every core when there are many.</summary>
    private void ForEachUnknown(IReadOnlyList<string> ids, ClaudeTaskRecord?[] found, Action<int> read)
    {
        var unknown = new List<int>();
        for (var i = 0; i < ids.Count; i++)
        {
            if (_finished.TryGetValue(ids[i], out var cached)) found[i] = cached;
            else unknown.Add(i);
        }
        if (unknown.Count < ParallelReadThreshold || Environment.ProcessorCount == 1)
            foreach (var i in unknown) read(i);
        else
            Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, unknown.Count, ParallelReadThreshold / 4), range =>
            {
                for (var k = range.Item1; k < range.Item2; k++) read(unknown[k]);
            });
    }

    private static List<ClaudeTaskRecord> Listed(ClaudeTaskRecord?[] found)
    {
        var records = new List<ClaudeTaskRecord>(found.Length);
        foreach (var record in found)
            if (record is not null) records.Add(record);
        return records;
    }

    private string DigestPath => Path.Combine(Root, ListingDigest.FileName);

    /// <summary>
    /// <see cref="ReadAll"/> for a listing that reads the tasks folder afresh: records not known yet come from the
    /// <see cref="ListingDigest"/> where it holds their file as it is now, else from their own files; the digest is
    /// rewritten when many were missing from it or it holds many tasks no longer there.
    /// </summary>
    private List<ClaudeTaskRecord> ReadAllThroughDigest(IReadOnlyList<string> ids)
    {
        var digest = ListingDigest.Load(DigestPath);
        var now = DateTime.UtcNow;
        var found = new ClaudeTaskRecord?[ids.Count];
        var copied = new ListingDigest.Line?[ids.Count];
        ForEachUnknown(ids, found, i => found[i] = ReadForListing(ids[i], digest, now, out copied[i]));
        var added = copied.Count(line => line is not null);
        var kept = new List<KeyValuePair<string, ListingDigest.Line>>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            if (copied[i] is { } line) kept.Add(new(ids[i], line));
            else if (digest.TryGetLine(ids[i], out var old) && found[i] is { IsFinished: true }) kept.Add(new(ids[i], old));
        }
        var carried = kept.Count - added;
        var gone = digest.Count - carried;
        if (added >= ListingDigest.RewriteThreshold || gone >= ListingDigest.RewriteThreshold) WriteDigest(kept);
        return Listed(found);
    }

    /// <summary>
    /// One record for a listing: from the digest when it holds the record file as it is, else from the file. A line for
    /// the digest comes back when the record is new to it (or changed) and may be kept there.
    /// </summary>
    private ClaudeTaskRecord? ReadForListing(string id, ListingDigest digest, DateTime now, out ListingDigest.Line? copy)
    {
        copy = null;
        FileStatus? entry;
        try
        {
            entry = FileStatus.OfEntry(RecordPath(id));
        }
        catch (IOException)
        {
            entry = null;
        }
        if (entry is not { Kind: FileKind.Regular } status) return Read(id);
        var stamp = ListingDigest.Stamp.Of(status);
        if (digest.TryGet(id, stamp, out var json) && Parse(id, json.Span, idMustMatch: true) is { IsFinished: true, Unreadable: false } known)
        {
            Remember(known);
            return known;
        }
        var record = ReadFile(id, out var bytes);
        if (record is null) return null;
        Remember(record);
        if (record is { IsFinished: true, Unreadable: false } && bytes is not null && ListingDigest.MayCopy(bytes, stamp, now))
            copy = new ListingDigest.Line(stamp, bytes);
        return record;
    }

    private void WriteDigest(IEnumerable<KeyValuePair<string, ListingDigest.Line>> lines)
    {
        try
        {
            ListingDigest.Write(DigestPath, lines);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only a cache: the next listing reads the records themselves.
        }
    }
}
