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
/// &lt;state&gt;/listing.digest          a copy of the finished records, checked against their files (<see cref="ListingDigest"/>)
/// </code>
/// Everything is owner-only: the state folder must be the user's alone (<see cref="OwnerOnlyFolder"/>), files are
/// written and read as <see cref="StoreFiles"/> says (never through a link), and ids are validated before they become
/// paths.
/// </summary>
internal sealed partial class TaskStore
{
    private const string RecordFile = "record.json";

    /// <summary>
    /// The most a record file may hold. A record keeps the child's result, which can be as long as a stream line
    /// (16 MiB) and longer once escaped again; four times that is more than any real record, and a planted 100 MB file
    /// is reported instead of read.
    /// </summary>
    internal const long MaxRecordBytes = 4L * Runs.ChildOutput.MaxLineBytes;

    /// <summary>The most a prompt file may hold: a prompt is at most 1 MiB of text, at most 4 bytes a character.</summary>
    private const long MaxPromptBytes = 4L * 1024 * 1024;

    /// <summary>The folder of the tasks inside the state folder.</summary>
    public const string TasksFolder = "tasks";
    private const int PreviewLength = 200;

    /// <summary>Finished records never change again: kept here, lists need not re-read them (small ones only).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ClaudeTaskRecord> _finished = new(StringComparer.Ordinal);
    private const int MaxCachedResultChars = 8_000;

    public TaskStore(string root)
    {
        root = Path.GetFullPath(root);
        try
        {
            Root = OwnerOnlyFolder.PrepareRoot(root);
            TasksDirectory = Path.Combine(Root, TasksFolder);
            SignalsDirectory = Path.Combine(Root, "signals");
            OwnerOnlyFolder.PrepareInner(TasksDirectory, create: true);
            OwnerOnlyFolder.PrepareInner(SignalsDirectory, create: true);
            // Made when first needed, by their own code: checked now if they are there.
            OwnerOnlyFolder.PrepareInner(Path.Combine(Root, ChildSlots.Folder), create: false);
            OwnerOnlyFolder.PrepareInner(Path.Combine(Root, Worktrees.TaskIsolation.WorktreesFolder), create: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unavailable($"The state folder '{root}' cannot be created or used: {e.Message}", e);
        }
    }

    /// <summary>The state folder; when the path given is a link, the folder it led to when the store opened.</summary>
    public string Root { get; }
    public string TasksDirectory { get; }
    public string SignalsDirectory { get; }

    public string TaskDirectory(string id) => Path.Combine(TasksDirectory, TaskId.Validate(id));
    private string RecordPath(string id) => Path.Combine(TaskDirectory(id), RecordFile);
    public string StreamLogPath(string id) => Path.Combine(TaskDirectory(id), "stream.jsonl");
    public string StderrLogPath(string id) => Path.Combine(TaskDirectory(id), "stderr.log");
    private string PromptPath(string id) => Path.Combine(TaskDirectory(id), "prompt.txt");
    private string ChangedSignalPath(string id) => Path.Combine(SignalsDirectory, TaskId.Validate(id) + ".changed");
    private string StopSignalPath(string id) => Path.Combine(SignalsDirectory, TaskId.Validate(id) + ".stop");

    /// <summary>
    /// Makes a new task folder under a fresh id, with its prompt and first record; with <paramref name="notify"/>, other
    /// processes are told (a task about to start need not: its running record tells them a moment later).
    /// </summary>
    /// <remarks>
    /// The folder is filled under a hidden name and renamed into place, so a folder named as a task always
    /// holds its record: readers never see a task half made, and a refused start leaves nothing behind.
    /// </remarks>
    public ClaudeTaskRecord Create(Func<string, ClaudeTaskRecord> makeRecord, string prompt, bool notify = true)
    {
        while (true)
        {
            var id = TaskId.New();
            var dir = Path.Combine(TasksDirectory, id);
            if (Directory.Exists(dir)) continue;
            var staging = Path.Combine(TasksDirectory, $".new-{id}-{Guid.NewGuid():N}");
            try
            {
                if (OperatingSystem.IsWindows()) Directory.CreateDirectory(staging);
                else Directory.CreateDirectory(staging, OwnerOnlyFolder.Mode);
                using (var stream = StoreFiles.CreateNew(Path.Combine(staging, "prompt.txt")))
                    stream.Write(System.Text.Encoding.UTF8.GetBytes(prompt));
                var record = makeRecord(id) with { PromptPreview = Preview(prompt) };
                // No reader sees the staging folder: the first record needs no temporary file.
                using (var stream = StoreFiles.CreateNew(Path.Combine(staging, RecordFile)))
                    JsonSerializer.Serialize(stream, record, StoreJson.Default.ClaudeTaskRecord);
                Directory.Move(staging, dir);
                _listing.Invalidate();
                Remember(record);
                if (notify) Touch(ChangedSignalPath(id));
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

    /// <summary>Written new beside the record, then moved over it (<see cref="StoreFiles.Replace(string, Action{Stream}, bool)"/>): streamed, not buffered whole.</summary>
    private static void WriteRecordFile(string dir, ClaudeTaskRecord record, bool durable) =>
        StoreFiles.Replace(Path.Combine(dir, RecordFile), stream => JsonSerializer.Serialize(stream, record, StoreJson.Default.ClaudeTaskRecord), durable);

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

    /// <summary>
    /// One task's record as it is on disk; whatever is wrong with it (a link, a FIFO, a huge or half-written file, a
    /// null where a value must be) makes this one record unreadable, with the reason, and never reaches other tasks.
    /// </summary>
    private ClaudeTaskRecord? ReadFile(string id) => ReadFile(id, out _);

    private ClaudeTaskRecord? ReadFile(string id, out byte[]? bytes)
    {
        bytes = null;
        StoreFileContent content;
        try
        {
            content = StoreFiles.Read(RecordPath(id), MaxRecordBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return UnreadableRecord(id, e.Message);
        }
        if (content.IsMissing) return Directory.Exists(TaskDirectory(id)) ? UnreadableRecord(id, "its record is missing") : null;
        if (content.Problem is { } problem) return UnreadableRecord(id, "its record " + problem);
        bytes = content.Bytes!;
        return Parse(id, bytes);
    }

    /// <summary>
    /// A record's JSON made a record of task <paramref name="id"/>, or an <c>Unreadable</c> one saying why not. A record
    /// file's folder names its task whatever the JSON says; a copy (<paramref name="idMustMatch"/>) must name it itself.
    /// </summary>
    private static ClaudeTaskRecord Parse(string id, ReadOnlySpan<byte> json, bool idMustMatch = false)
    {
        try
        {
            var record = JsonSerializer.Deserialize(json, StoreJson.Default.ClaudeTaskRecord);
            if (record is null) return UnreadableRecord(id, "its record is empty");
            var (whole, missing) = RecordShape.Check(record);
            if (whole is null) return UnreadableRecord(id, missing!);
            if (whole.Id == id) return whole;
            return idMustMatch ? UnreadableRecord(id, $"it holds the record of task {whole.Id}") : whole with { Id = id };
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return UnreadableRecord(id, e.Message);
        }
    }

    /// <summary>The whole prompt; null when there is none (or what has its name is no regular file of a prompt's size).</summary>
    public string? ReadPrompt(string id) =>
        StoreFiles.Read(PromptPath(id), MaxPromptBytes).Bytes is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null;

    /// <summary>Makes a log new for the child to fill, owner-only (never through a link). Unbuffered: it is written in whole pipe reads.</summary>
    public FileStream CreateLog(string path) => StoreFiles.Recreate(path);

    /// <summary>A log kept and written on at its end (a task's later run adds to its first run's stream).</summary>
    public FileStream AppendLog(string path) => StoreFiles.Append(path);

    public void RequestStop(string id) => Touch(StopSignalPath(id));

    /// <summary>Tells other processes the task changed, without writing its record.</summary>
    public void Notify(string id) => Touch(ChangedSignalPath(id));

    public bool HasStopRequest(string id) => File.Exists(StopSignalPath(id));

    public void ClearStopRequest(string id) => StoreFiles.TryDelete(StopSignalPath(id));

    /// <summary>Forgets a task: its folder, its signals and the listing digest (which may hold a copy of its record).</summary>
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
        StoreFiles.TryDelete(ChangedSignalPath(id));
        StoreFiles.TryDelete(StopSignalPath(id));
        // A removed task's words leave the store with it: the digest may hold a copy, and the next listing writes it anew.
        StoreFiles.TryDelete(DigestPath);
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

    /// <summary>
    /// A signal is a new, empty file moved over the old one: watchers see it, and a link planted there is replaced, not
    /// followed. Empty, because nothing reads it and a file with no data costs the file system nothing to write out.
    /// </summary>
    private static void Touch(string path) => StoreFiles.Replace(path, []);

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

    private static ClaudeTaskException Unavailable(string message, Exception inner) =>
        new(ClaudeErrorCode.StateDirectoryUnavailable,
            message + " Check that the folder exists, is writable by you and has free space.",
            inner)
        { Hint = ClaudeHint.ChooseStateDirectory };
}
