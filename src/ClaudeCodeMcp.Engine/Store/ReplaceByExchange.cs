using System.Runtime.InteropServices;

namespace ClaudeCodeMcp.Engine.Store;

/// <summary>
/// Puts a new file in place of an old one atomically: readers see the old file or the new, never none and never half.
/// <para>
/// A plain rename over the old file does that, but ext4 (the common Linux file system, mounted with its default
/// <c>auto_da_alloc</c>) then writes the new file's data out before the rename returns: about 0.3 ms for a record of a
/// few hundred bytes, against about 0.06 ms for the rest, on the machines here (docs/benchmarks.md, scenario 1). So on
/// Linux the two entries are swapped (<c>renameat2(RENAME_EXCHANGE)</c>, just as atomic, which ext4 does not flush for)
/// and the old file, now under the new one's hidden name, is removed. Only a regular file is swapped out: a link is
/// replaced as a rename replaces it (never followed), and anything else (a folder) is left to the rename, which refuses
/// it as before. Where the swap is not supported (another system, a file system without it) the rename is used.
/// </para>
/// </summary>
internal static partial class ReplaceByExchange
{
    private const int AtCurrentDirectory = -100, RenameExchange = 2;

    /// <summary>Moves <paramref name="source"/> (a new file) over <paramref name="destination"/>.</summary>
    public static void Move(string source, string destination)
    {
        if (OperatingSystem.IsLinux() && FileStatus.OfEntry(destination) is { Kind: FileKind.Regular } &&
            RenameAt2(AtCurrentDirectory, source, AtCurrentDirectory, destination, RenameExchange) == 0)
        {
            StoreFiles.TryDelete(source); // now the old file
            return;
        }
        File.Move(source, destination, overwrite: true);
    }

    [LibraryImport("libc", EntryPoint = "renameat2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int RenameAt2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);
}
