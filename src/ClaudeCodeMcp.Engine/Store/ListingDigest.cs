using System.Buffers.Text;
using System.Text;

namespace ClaudeCodeMcp.Engine.Store;

/// <summary>
/// A copy of the store's finished records in one file (<c>&lt;state&gt;/listing.digest</c>), so that a process's first
/// listing of a large store reads one file instead of one per task. It is only ever a cache of what the records say:
/// <list type="bullet">
/// <item>each line names the task and the size, modification and change times (nanoseconds) of the record file it was
/// copied from, then that record's JSON as it was on disk: <c>id size modified changed {json}</c>;</item>
/// <item>a line is used only while the record file still has exactly that size and those times (every write of a record
/// is a new file renamed over the old, so its change time moves), and only when what it holds is a whole, finished
/// record of that id; anything else, a damaged line or a damaged file, is passed over and the record file is read;</item>
/// <item>a line is written only for a record whose file had not changed for <see cref="Settled"/> when it was read, so
/// a later write in the same tick of the file system's clock (same size, same times) cannot hide behind it.</item>
/// </list>
/// Whoever lists the store rewrites it whole (a new file renamed over the old) when it found enough records missing from
/// it; two processes doing so at once each leave a correct digest. Read as every store file is (<see cref="StoreFiles"/>).
/// </summary>
internal sealed class ListingDigest
{
    public const string FileName = "listing.digest";

    /// <summary>More than 10,000 records of the largest size the digest keeps (<see cref="MaxRecordBytes"/>).</summary>
    private const long MaxBytes = 256L * 1024 * 1024;

    /// <summary>A record larger than this is not copied: its own file is read (as the in-memory cache keeps only small ones).</summary>
    public const int MaxRecordBytes = 16 * 1024;

    /// <summary>How long a record file must have been unchanged before it is copied (longer than any file system's clock tick).</summary>
    public static readonly TimeSpan Settled = TimeSpan.FromSeconds(2);

    /// <summary>Below this many lines to add or drop, the digest is left as it is: rewriting it would cost more than it saves.</summary>
    public const int RewriteThreshold = 64;

    private readonly Dictionary<string, Line> _lines;

    private ListingDigest(Dictionary<string, Line> lines) => _lines = lines;

    public static ListingDigest Empty => new(new Dictionary<string, Line>(StringComparer.Ordinal));

    public int Count => _lines.Count;

    /// <summary>The size and times of a record file when it was copied.</summary>
    public readonly record struct Stamp(long Size, long Modified, long Changed)
    {
        public static Stamp Of(FileStatus status) => new(status.Size, status.Modified, status.Changed);
    }

    /// <summary>One record's line: the stamp of its file and its JSON.</summary>
    public readonly record struct Line(Stamp Stamp, ReadOnlyMemory<byte> Json);

    /// <summary>The digest at <paramref name="path"/>; empty when there is none or it cannot be read (the records are read instead).</summary>
    public static ListingDigest Load(string path)
    {
        StoreFileContent content;
        try
        {
            content = StoreFiles.Read(path, MaxBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Empty;
        }
        if (content.Bytes is not { } bytes) return Empty;
        var lines = new Dictionary<string, Line>(StringComparer.Ordinal);
        var rest = bytes.AsMemory();
        while (!rest.IsEmpty)
        {
            var end = rest.Span.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 1)..];
            if (TryParse(line, out var id, out var parsed)) lines[id] = parsed;
        }
        return new ListingDigest(lines);
    }

    /// <summary>The JSON copied from the record file of <paramref name="id"/>, if that file still has this stamp.</summary>
    public bool TryGet(string id, Stamp stamp, out ReadOnlyMemory<byte> json)
    {
        json = default;
        if (!_lines.TryGetValue(id, out var line) || line.Stamp != stamp) return false;
        json = line.Json;
        return true;
    }

    /// <summary>The line kept for <paramref name="id"/>, whatever its stamp (carried into a rewrite; checked when next read).</summary>
    public bool TryGetLine(string id, out Line line) => _lines.TryGetValue(id, out line);

    /// <summary>Whether a record read from disk may be copied: a small, single-line record whose file has settled and
    /// still had the size read.</summary>
    public static bool MayCopy(ReadOnlySpan<byte> json, Stamp stamp, DateTime now) =>
        json.Length == stamp.Size && json.Length <= MaxRecordBytes && !json.Contains((byte)'\n') &&
        stamp.Changed < (now - Settled - DateTime.UnixEpoch).Ticks * 100;

    /// <summary>Puts these lines in place of the digest at <paramref name="path"/>, whole.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Line>> lines) =>
        StoreFiles.Replace(path, file =>
        {
            var buffered = new BufferedStream(file, 64 * 1024); // flushed below, not disposed: the file is Replace's to close
            Span<byte> number = stackalloc byte[24];
            foreach (var (id, line) in lines)
            {
                buffered.Write(Encoding.ASCII.GetBytes(id));
                foreach (var value in (ReadOnlySpan<long>)[line.Stamp.Size, line.Stamp.Modified, line.Stamp.Changed])
                {
                    buffered.WriteByte((byte)' ');
                    Utf8Formatter.TryFormat(value, number, out var written);
                    buffered.Write(number[..written]);
                }
                buffered.WriteByte((byte)' ');
                buffered.Write(line.Json.Span);
                buffered.WriteByte((byte)'\n');
            }
            buffered.Flush();
        });

    private static bool TryParse(ReadOnlyMemory<byte> line, out string id, out Line parsed)
    {
        id = "";
        parsed = default;
        var span = line.Span;
        var space = span.IndexOf((byte)' ');
        if (space <= 0) return false;
        id = Encoding.ASCII.GetString(span[..space]);
        if (!TaskId.IsValid(id)) return false;
        var at = space + 1;
        Span<long> values = stackalloc long[3];
        for (var i = 0; i < values.Length; i++)
        {
            if (!Utf8Parser.TryParse(span[at..], out values[i], out var used) || used == 0 || at + used >= span.Length || span[at + used] != ' ')
                return false;
            at += used + 1;
        }
        if (values[0] != span.Length - at) return false; // the JSON is exactly the size its file had
        parsed = new Line(new Stamp(values[0], values[1], values[2]), line[at..]);
        return true;
    }
}
