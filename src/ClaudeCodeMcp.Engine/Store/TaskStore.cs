using System.Text.Json;

namespace ClaudeCodeMcp.Engine.Store;

/// <summary>
/// The shared task store, one folder per task:
/// <code>
/// &lt;state&gt;/tasks/&lt;id&gt;/record.json    the record, replaced atomically
/// &lt;state&gt;/tasks/&lt;id&gt;/prompt.txt     the whole prompt
/// &lt;state&gt;/tasks/&lt;id&gt;/stream.jsonl   the child's raw stream-json
/// &lt;state&gt;/tasks/&lt;id&gt;/stderr.log     the child's stderr
/// &lt;state&gt;/signals/&lt;id&gt;.changed       touched when a task changes state (one folder to watch)
/// &lt;state&gt;/signals/&lt;id&gt;.stop          another process asks the owner to stop the task
/// </code>
/// Everything is owner-only. Ids are validated before they become paths.
/// </summary>
internal sealed class TaskStore
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const string RecordFile = "record.json";

    /// <summary>The folder of the tasks inside the state folder.</summary>
    public const string TasksFolder = "tasks";
    private const int PreviewLength = 200;

    /// <summary>Finished records never change again: kept here, lists need not re-read them (small ones only).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ClaudeTaskRecord> _finished = new(StringComparer.Ordinal);
    private const int MaxCachedResultChars = 8_000;
    private readonly TaskListing _listing = new();

    public TaskStore(string root)
    {
        Root = Path.GetFullPath(root);
        TasksDirectory = Path.Combine(Root, TasksFolder);
        SignalsDirectory = Path.Combine(Root, "signals");
        try
        {
            CreateOwnerOnlyDirectory(Root, tighten: false);
            CreateOwnerOnlyDirectory(TasksDirectory, tighten: true);
            CreateOwnerOnlyDirectory(SignalsDirectory, tighten: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unavailable($"The state folder '{Root}' cannot be created or used: {e.Message}", e);
        }
    }

    public string Root { get; }
    public string TasksDirectory { get; }
    public string SignalsDirectory { get; }

    public string TaskDirectory(string id) => Path.Combine(TasksDirectory, TaskId.Validate(id));
    public string StreamLogPath(string id) => Path.Combine(TaskDirectory(id), "stream.jsonl");
    public string StderrLogPath(string id) => Path.Combine(TaskDirectory(id), "stderr.log");
    private string PromptPath(string id) => Path.Combine(TaskDirectory(id), "prompt.txt");
    private string ChangedSignalPath(string id) => Path.Combine(SignalsDirectory, TaskId.Validate(id) + ".changed");
    private string StopSignalPath(string id) => Path.Combine(SignalsDirectory, TaskId.Validate(id) + ".stop");

    /// <summary>Makes a new task folder under a fresh id, with its prompt and first record.</summary>
    /// <remarks>
    /// The folder is filled under a hidden name and renamed into place, so a folder named as a task always
    /// holds its record: readers never see a task half made, and a refused start leaves nothing behind.
    /// </remarks>
    public ClaudeTaskRecord Create(Func<string, ClaudeTaskRecord> makeRecord, string prompt)
    {
        while (true)
        {
            var id = TaskId.New();
            var dir = Path.Combine(TasksDirectory, id);
            if (Directory.Exists(dir)) continue;
            var staging = Path.Combine(TasksDirectory, $".new-{id}-{Guid.NewGuid():N}");
            try
            {
                CreateOwnerOnlyDirectory(staging, tighten: false);
                WriteNewFile(Path.Combine(staging, "prompt.txt"), prompt);
                var record = makeRecord(id) with { PromptPreview = Preview(prompt) };
                // No reader sees the staging folder: the first record needs no temporary file.
                using (var stream = new FileStream(Path.Combine(staging, RecordFile), NewFileOptions()))
                    JsonSerializer.Serialize(stream, record, StoreJson.Default.ClaudeTaskRecord);
                Directory.Move(staging, dir);
                _listing.Invalidate();
                Remember(record);
                Touch(ChangedSignalPath(id));
                return record;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                TryDeleteFolder(staging);
                throw Unavailable($"A task could not be saved in '{TasksDirectory}': {e.Message}", e);
            }
        }
    }

    /// <summary>Replaces the record atomically (write a temporary file, then rename over the old one).</summary>
    public void Write(ClaudeTaskRecord record, bool notify, bool durable = false)
    {
        var dir = TaskDirectory(record.Id);
        if (!Directory.Exists(dir))
            throw new ClaudeTaskException(ClaudeErrorCode.TaskNotFound, $"Task {record.Id} was removed; its record was not written.") { TaskId = record.Id };
        try
        {
            WriteRecordFile(dir, record, durable);
            Remember(record);
            if (notify) Touch(ChangedSignalPath(record.Id));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unavailable($"The record of task {record.Id} could not be written in '{dir}': {e.Message}", e);
        }
    }

    private static void WriteRecordFile(string dir, ClaudeTaskRecord record, bool durable)
    {
        var temp = Path.Combine(dir, $".{RecordFile}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, NewFileOptions()))
            {
                JsonSerializer.Serialize(stream, record, StoreJson.Default.ClaudeTaskRecord);
                stream.Flush(flushToDisk: durable);
            }
            File.Move(temp, Path.Combine(dir, RecordFile), overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>The task's record; null when there is no such task; an <c>Unreadable</c> record when it is damaged.</summary>
    public ClaudeTaskRecord? Read(string id)
    {
        if (_finished.TryGetValue(TaskId.Validate(id), out var cached))
        {
            if (Directory.Exists(TaskDirectory(id))) return cached;
            _finished.TryRemove(id, out _); // removed by another process
        }
        var record = ReadFile(id);
        if (record is not null) Remember(record);
        return record;
    }

    private void Remember(ClaudeTaskRecord record)
    {
        if (record is { IsFinished: true, Unreadable: false } && (record.Result?.Length ?? 0) <= MaxCachedResultChars)
            _finished[record.Id] = record;
        else
            _finished.TryRemove(record.Id, out _);
    }

    private ClaudeTaskRecord? ReadFile(string id)
    {
        var path = Path.Combine(TaskDirectory(id), RecordFile);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Directory.Exists(TaskDirectory(id)) ? UnreadableRecord(id, "its record is missing") : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return UnreadableRecord(id, e.Message);
        }
        try
        {
            var record = JsonSerializer.Deserialize(bytes, StoreJson.Default.ClaudeTaskRecord);
            if (record is null) return UnreadableRecord(id, "its record is empty");
            return record.Id == id ? record : record with { Id = id };
        }
        catch (JsonException e)
        {
            return UnreadableRecord(id, e.Message);
        }
    }

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
        if (_listing.TryReuse(stamp) is { } known)
        {
            var listed = new List<ClaudeTaskRecord>(known.Count);
            foreach (var id in known)
            {
                var record = _finished.TryGetValue(id, out var cached) ? cached : Read(id);
                if (record is not null) listed.Add(record);
            }
            return listed;
        }
        var readAt = DateTime.UtcNow;
        var records = new List<ClaudeTaskRecord>();
        try
        {
            foreach (var dir in Directory.EnumerateDirectories(TasksDirectory))
            {
                var id = Path.GetFileName(dir);
                if (!TaskId.IsValid(id)) continue;
                var record = _finished.TryGetValue(id, out var cached) ? cached : Read(id);
                if (record is not null) records.Add(record);
            }
        }
        catch (DirectoryNotFoundException)
        {
            return records;
        }
        records.Sort((a, b) => b.CreatedAt.CompareTo(a.CreatedAt));
        _listing.Remember(stamp, readAt, records.ConvertAll(r => r.Id));
        return records;
    }

    public string? ReadPrompt(string id)
    {
        try
        {
            return File.ReadAllText(PromptPath(id));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Opens a log for the child to fill, owner-only. Unbuffered: it is written in whole pipe reads.</summary>
    public FileStream CreateLog(string path) => new(path, OwnerOnly(FileMode.Create));

    public void RequestStop(string id) => Touch(StopSignalPath(id));

    public bool HasStopRequest(string id) => File.Exists(StopSignalPath(id));

    public void ClearStopRequest(string id) => TryDelete(StopSignalPath(id));

    /// <summary>Forgets a task: its folder and its signals.</summary>
    /// <remarks>The folder is first renamed away (atomically), so readers see the task whole or not at all.</remarks>
    public void Delete(string id)
    {
        var dir = TaskDirectory(id);
        var doomed = Path.Combine(TasksDirectory, $".removed-{id}-{Guid.NewGuid():N}");
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Move(dir, doomed);
                _listing.Invalidate();
                Directory.Delete(doomed, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unavailable($"Task {id} could not be deleted from '{dir}': {e.Message}", e);
        }
        _finished.TryRemove(id, out _);
        TryDelete(ChangedSignalPath(id));
        TryDelete(StopSignalPath(id));
    }

    /// <summary>Watches the signals folder; the callback gets the file name (<c>id.changed</c>, <c>id.stop</c>), or null after an overflow.</summary>
    public FileSystemWatcher Watch(Action<string?> onSignal)
    {
        var watcher = new FileSystemWatcher(SignalsDirectory)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite,
            IncludeSubdirectories = false,
        };
        watcher.Created += (_, e) => onSignal(e.Name);
        watcher.Changed += (_, e) => onSignal(e.Name);
        watcher.Renamed += (_, e) => onSignal(e.Name);
        watcher.Error += (_, _) => onSignal(null);
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    internal static string Preview(string prompt)
    {
        var flat = string.Join(' ', prompt.Split((char[]?)null, PreviewLength + 1, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= PreviewLength ? flat : flat[..PreviewLength] + "…";
    }

    private static ClaudeTaskRecord UnreadableRecord(string id, string why) => new()
    {
        Id = id,
        State = ClaudeTaskState.Failed,
        PromptPreview = "",
        WorkingDirectory = "",
        Unreadable = true,
        Error = $"The record of task {id} could not be read ({why}). Remove the task to clear it.",
    };

    private static void Touch(string path)
    {
        using var stream = new FileStream(path, OwnerOnly(FileMode.Create));
        stream.WriteByte((byte)'\n');
    }

    private static void WriteNewFile(string path, string text)
    {
        using var stream = new FileStream(path, NewFileOptions());
        stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
    }

    private static FileStreamOptions NewFileOptions() => OwnerOnly(FileMode.CreateNew);

    /// <summary>Unbuffered: every file here is written whole by one serializer or writer that buffers itself.</summary>
    private static FileStreamOptions OwnerOnly(FileMode mode, int bufferSize = 0)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.Read, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnlyFile;
        return options;
    }

    private static void CreateOwnerOnlyDirectory(string path, bool tighten)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        var existed = Directory.Exists(path);
        Directory.CreateDirectory(path, OwnerOnlyDirectory);
        if (existed && tighten) File.SetUnixFileMode(path, OwnerOnlyDirectory);
    }

    private static void TryDeleteFolder(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a hidden leftover is skipped by every listing.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover signal file is harmless.
        }
    }

    private static ClaudeTaskException Unavailable(string message, Exception inner) =>
        new(ClaudeErrorCode.StateDirectoryUnavailable,
            message + " Check that the folder exists, is writable by you and has free space.",
            inner)
        { Hint = ClaudeHint.ChooseStateDirectory };
}
