namespace ClaudeCodeMcp.Engine.Store;

/// <summary>
/// Makes sure the state folder and the folders the store keeps in it are the user's alone before anything is read or
/// written there, as ssh insists on for <c>~/.ssh</c>. A folder another user owns, or one group or others may write
/// to, lets that user plant links and records (a link named like a signal file, a record naming a process to stop),
/// so it is refused with a message saying what is wrong and what to do; nothing in it is touched.
/// </summary>
/// <remarks>
/// Once the state folder passes, no other user (root aside) can add, rename or remove entries in it, nor in the
/// owner-only folders under it, so a link cannot be planted afterwards either: the checks are made when a store opens,
/// not before every write. Writes still never follow a link (see <see cref="StoreFiles"/>), for a folder that was
/// loose before it was tightened. On Windows, where folders have access lists instead of modes, the folders are only
/// made.
/// </remarks>
internal static class OwnerOnlyFolder
{
    /// <summary>0700: read, write and enter, for the owner only.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// The state folder itself: made (0700) when missing; otherwise it must belong to the user and not be writable by
    /// group or others. A link to it is followed (the user may keep the state elsewhere) and the folder it leads to is
    /// checked and returned: the store works there from then on, so a link changed later (one left in <c>/tmp</c> by
    /// another user, say) cannot move it elsewhere. A folder the user chose is not changed: one that is too open is
    /// refused with the <c>chmod</c> to run.
    /// </summary>
    /// <returns>The folder to use: <paramref name="root"/>, or the folder it links to.</returns>
    public static string PrepareRoot(string root)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(root);
            return root;
        }
        if (FileStatus.OfEntry(root) is { Kind: FileKind.Link })
        {
            var target = new DirectoryInfo(root).ResolveLinkTarget(returnFinalTarget: true);
            if (target is null || FileStatus.OfTarget(root) is null)
            {
                throw Refused($"The state folder '{root}' is a symbolic link to nothing ({target?.FullName}); no folder is made through a "
                    + "link. Make the folder it names, or remove the link.");
            }
            root = target.FullName;
        }
        var made = FileStatus.OfTarget(root) is null;
        if (made) Directory.CreateDirectory(root, Mode);
        var status = FileStatus.OfTarget(root) ?? throw new DirectoryNotFoundException($"'{root}' vanished as it was made.");
        if (status.Kind != FileKind.Directory)
            throw Refused($"The state folder '{root}' is {status.KindWords}, not a folder.");
        if (status.Owner != FileStatus.CurrentUser)
        {
            throw Refused($"The state folder '{root}' belongs to another user (uid {status.Owner}), not to you (uid {FileStatus.CurrentUser}): "
                + "its owner could read your tasks and plant files in it. Use a folder of your own (remove this one if it should not be there).");
        }
        if (made)
        {
            if (status.Mode != Mode) File.SetUnixFileMode(root, Mode);
        }
        else if (status.WritableByOthers)
        {
            throw Refused($"The state folder '{root}' can be written by its group or by others (mode {status.OctalMode}), so another user "
                + $"could plant files in it. Make it yours alone with: chmod 700 '{root}'");
        }
        return root;
    }

    /// <summary>
    /// A folder the store keeps inside the state folder (<c>tasks</c>, <c>signals</c>, <c>slots</c>, <c>worktrees</c>):
    /// made (0700) when missing and <paramref name="create"/> is set. It must be a real folder, not a link, and belong to
    /// the user; it is then set to 0700 (one left open to group or others is tightened: the store made it).
    /// </summary>
    public static void PrepareInner(string path, bool create)
    {
        if (OperatingSystem.IsWindows())
        {
            if (create) Directory.CreateDirectory(path);
            return;
        }
        var status = FileStatus.OfEntry(path);
        if (status is null)
        {
            if (!create) return;
            Directory.CreateDirectory(path, Mode);
            status = FileStatus.OfEntry(path) ?? throw new DirectoryNotFoundException($"'{path}' vanished as it was made.");
        }
        if (status.Value.Kind != FileKind.Directory)
        {
            throw Refused($"'{path}' in the state folder is {status.Value.KindWords}, not a folder; the store never follows links. "
                + "Remove it (the store makes the folder again).");
        }
        if (status.Value.Owner != FileStatus.CurrentUser)
        {
            throw Refused($"'{path}' in the state folder belongs to another user (uid {status.Value.Owner}), not to you "
                + $"(uid {FileStatus.CurrentUser}). Remove it (the store makes the folder again).");
        }
        // Set even when it is 0700 already: a store that cannot be written (a read-only mount) is found when it opens.
        File.SetUnixFileMode(path, Mode);
    }

    private static ClaudeTaskException Refused(string message) =>
        new(ClaudeErrorCode.StateDirectoryUnavailable, message) { Hint = ClaudeHint.ChooseStateDirectory };
}
