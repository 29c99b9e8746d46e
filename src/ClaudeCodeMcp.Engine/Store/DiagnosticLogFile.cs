namespace ClaudeCodeMcp.Engine.Store;

/// <summary>
/// Opens a diagnostics log a user named (<c>--log-file</c>, <c>-LogFile</c>) to append to. Such a log often lives in a
/// shared folder such as <c>/tmp</c>, where another user can leave a link under its name pointing at one of the user's
/// files, or a file of their own to collect what is logged. So the log is opened without following a link
/// (<c>O_NOFOLLOW</c>), and must then be a regular file of the user's; anything else is refused with a message, and
/// nothing is written.
/// </summary>
/// <remarks>
/// The name is looked at before the open so that a FIFO is refused rather than opened (an open for writing waits for a
/// reader). Another user who swaps a FIFO in between those two steps can make the start wait; they cannot make the
/// log go anywhere but a regular file of the user's, which is checked on the open file itself.
/// </remarks>
public static class DiagnosticLogFile
{
    /// <summary>The log, positioned at its end; made owner-only (0600) when new.</summary>
    /// <exception cref="IOException">The path is a link, not a regular file, or another user's file.</exception>
    public static FileStream OpenAppend(string path)
    {
        if (OperatingSystem.IsWindows())
            return new FileStream(path, new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite });
        var entry = FileStatus.OfEntry(path);
        if (entry is { } found) Check(path, found); // a FIFO must be refused before an open that would wait for a reader
        var handle = NoFollowOpen.ForWriting(path, mustBeNew: false);
        try
        {
            Check(path, FileStatus.Of(handle));
            var stream = new FileStream(handle, FileAccess.Write);
            stream.Seek(0, SeekOrigin.End);
            return stream;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void Check(string path, FileStatus status)
    {
        if (status.Kind != FileKind.Regular)
            throw new IOException($"The log file '{path}' is {status.KindWords}, not a regular file; it is not written through. Remove it, or name another log file.");
        if (status.Owner != FileStatus.CurrentUser)
        {
            throw new IOException($"The log file '{path}' belongs to another user (uid {status.Owner}), not to you (uid {FileStatus.CurrentUser}); "
                + "nothing is logged to it. Name a log file of your own.");
        }
    }
}
