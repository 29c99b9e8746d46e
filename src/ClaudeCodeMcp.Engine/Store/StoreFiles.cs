using System.Globalization;

namespace ClaudeCodeMcp.Engine.Store;

/// <summary>
/// How the store writes and reads its files, so that whatever has a file's name (a link, a FIFO, a huge file) never
/// makes it write outside the store, hang, or fill its memory.
/// </summary>
/// <remarks>
/// Writing: every file is created new, <c>O_CREAT | O_EXCL</c> (<see cref="FileMode.CreateNew"/>), which fails on any
/// entry already there, a dangling link included, and never follows one. A record or signal is then moved over its
/// name (<see cref="ReplaceByExchange"/>: the entry itself is replaced, never what a link there names, and readers see
/// the old file or the new, never half of one); a log is made new after what had its name is removed. No file is opened for writing where it
/// may already exist, so <c>FileMode.Create</c>'s follow-and-truncate cannot happen.
/// Reading: the entry is looked at without following links (<c>lstat</c>); only a regular file within the limit is
/// opened, and then with <c>O_NOFOLLOW</c>, so a FIFO (which would block the open until someone writes to it), a link
/// or a 100 MB file is reported, never read. The state folder is the user's alone (<see cref="OwnerOnlyFolder"/>), so
/// nobody else can swap the entry between the look and the open.
/// </remarks>
internal static class StoreFiles
{
    private const string LinkRefusal = "is a symbolic link, and the store never follows links";
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>A new owner-only file to write (fails if anything has the name). Unbuffered: every file here is written
    /// whole by one serializer or writer that buffers itself.</summary>
    public static FileStream CreateNew(string path) => new(path, NewFileOptions);

    /// <summary>A log made new: whatever had the name (an old log, a planted link) is removed first, never followed.</summary>
    public static FileStream Recreate(string path)
    {
        File.Delete(path); // a link is removed itself, not what it names; nothing there is fine
        return CreateNew(path);
    }

    /// <summary>A log opened at its end, made new when missing; never through a link.</summary>
    public static FileStream Append(string path)
    {
        if (OperatingSystem.IsWindows()) return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
        var stream = new FileStream(NoFollowOpen.ForWriting(path, mustBeNew: false), FileAccess.Write, 1);
        stream.Seek(0, SeekOrigin.End);
        return stream;
    }

    /// <summary>Puts <paramref name="content"/> under <paramref name="path"/> whole: a new file beside it, moved over it.</summary>
    public static void Replace(string path, byte[] content, bool durable = false) =>
        Replace(path, stream => stream.Write(content), durable);

    /// <summary>
    /// Puts what <paramref name="write"/> writes under <paramref name="path"/> whole: streamed into a new file beside it,
    /// which is then moved over it (<see cref="ReplaceByExchange"/>); on any failure the new file is removed.
    /// </summary>
    public static void Replace(string path, Action<Stream> write, bool durable = false)
    {
        var temp = TempBeside(path);
        try
        {
            using (var stream = CreateNew(temp))
            {
                write(stream);
                if (durable) stream.Flush(flushToDisk: true);
            }
            ReplaceByExchange.Move(temp, path);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>A fresh hidden name in the same folder (a rename stays within one file system), skipped by every listing.</summary>
    private static string TempBeside(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");

    /// <summary>
    /// The bytes of a regular file of at most <paramref name="limit"/> bytes; anything else is said in words that follow
    /// the file's name ("is a FIFO (named pipe), not a regular file").
    /// </summary>
    public static StoreFileContent Read(string path, long limit)
    {
        if (OperatingSystem.IsWindows()) return ReadOnWindows(path, limit);
        var (opened, status, refused) = OpenRegular(path, limit);
        if (refused is not null) return StoreFileContent.Refused(refused);
        if (opened is null) return StoreFileContent.Missing;
        using var handle = opened;
        var bytes = new byte[status.Size];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
            if (n == 0) break; // cut short meanwhile: what is there is read, and judged as such
            read += n;
        }
        return new StoreFileContent(read == bytes.Length ? bytes : bytes[..read], null);
    }

    /// <summary>
    /// A regular file of any size opened to read from its start, looked at and opened as <see cref="Read"/> does (never
    /// through a link, never a FIFO that would block the open); null when nothing is there. Anything else throws an
    /// <see cref="IOException"/> whose message names the file and says what it is.
    /// </summary>
    public static FileStream? OpenToRead(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            var info = new FileInfo(path);
            if (!info.Exists) return null;
            if (info.LinkTarget is not null) throw NotReadable(path, LinkRefusal);
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        var (handle, _, refused) = OpenRegular(path, long.MaxValue);
        if (refused is not null) throw NotReadable(path, refused);
        return handle is null ? null : new FileStream(handle, FileAccess.Read);
    }

    private static IOException NotReadable(string path, string why) => new($"'{path}' {why}, so it was not read.");

    /// <summary>
    /// The file looked at without following links, opened with <c>O_NOFOLLOW</c> only when it is a regular file within
    /// <paramref name="limit"/>, and looked at again through the handle (nothing swapped in between is read): the open
    /// handle and its status; no handle and why, when it is anything else; neither when nothing is there.
    /// </summary>
    private static (Microsoft.Win32.SafeHandles.SafeFileHandle? Handle, FileStatus Status, string? Refused) OpenRegular(string path, long limit)
    {
        var entry = FileStatus.OfEntry(path);
        if (entry is null) return (null, default, null);
        if (Refusal(entry.Value, limit) is { } refused) return (null, default, refused);
        var handle = OpenIfThere(path);
        if (handle is null) return (null, default, null);
        var status = FileStatus.Of(handle);
        if (Refusal(status, limit) is { } changed)
        {
            handle.Dispose();
            return (null, default, changed);
        }
        return (handle, status, null);
    }

    /// <summary>Opened, or null when it went between the look and the open (its task was removed meanwhile).</summary>
    private static Microsoft.Win32.SafeHandles.SafeFileHandle? OpenIfThere(string path)
    {
        try
        {
            return NoFollowOpen.ForReading(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static string? Refusal(FileStatus status, long limit)
    {
        if (status.Kind == FileKind.Link) return LinkRefusal;
        if (status.Kind != FileKind.Regular) return $"is {status.KindWords}, not a regular file";
        if (status.Size > limit) return $"is {Size(status.Size)}, more than the {Size(limit)} such a file may be";
        return null;
    }

    private static StoreFileContent ReadOnWindows(string path, long limit)
    {
        var info = new FileInfo(path);
        if (!info.Exists) return StoreFileContent.Missing;
        if (info.LinkTarget is not null) return StoreFileContent.Refused(LinkRefusal);
        if (info.Length > limit) return StoreFileContent.Refused($"is {Size(info.Length)}, more than the {Size(limit)} such a file may be");
        try
        {
            return new StoreFileContent(File.ReadAllBytes(path), null);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return StoreFileContent.Missing; // removed between the look and the read
        }
    }

    private static string Size(long bytes) => bytes >= 1024 * 1024
        ? (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB"
        : bytes.ToString(CultureInfo.InvariantCulture) + " bytes";

    private static readonly FileStreamOptions NewFileOptions = OperatingSystem.IsWindows()
        ? new() { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.Read, BufferSize = 0 }
        : new() { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.Read, BufferSize = 0, UnixCreateMode = OwnerReadWrite };

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a hidden leftover is skipped by every listing.
        }
    }
}

/// <summary>What <see cref="StoreFiles.Read"/> found: the bytes, or why they were not read, or nothing at all.</summary>
internal readonly record struct StoreFileContent(byte[]? Bytes, string? Problem)
{
    public static StoreFileContent Missing => default;

    public static StoreFileContent Refused(string why) => new(null, why);

    public bool IsMissing => Bytes is null && Problem is null;
}
