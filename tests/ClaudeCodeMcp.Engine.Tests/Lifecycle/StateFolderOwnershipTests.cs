using ClaudeCodeMcp.Engine.Tests.Support;

namespace ClaudeCodeMcp.Engine.Tests.Lifecycle;

/// <summary>
/// The state folder must be the user's alone, as ssh insists for <c>~/.ssh</c>: one another user made first (the
/// review's attack: a second user made it 0777, and the victim's next task was created inside it), or one group or
/// others may write to, is refused with a message saying what is wrong and what to do, and nothing in it is touched.
/// The folders the store keeps inside are checked too: a link or another user's folder there is never followed.
/// </summary>
public sealed class StateFolderOwnershipTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [OtherUserTheory]
    [InlineData("0777")]
    [InlineData("0755")]
    public async Task A_state_folder_another_user_made_first_is_refused_and_nothing_is_made_in_it(string mode)
    {
        await using var sandbox = new Sandbox();
        var state = Path.Combine(SharedFolder(sandbox), "state");
        OtherUser.Run("mkdir", "-m", mode, state);

        var error = Assert.Throws<ClaudeTaskException>(() => sandbox.Manager(sandbox.Options() with { StateDirectory = state }));

        Assert.Equal(ClaudeErrorCode.StateDirectoryUnavailable, error.Code);
        Assert.Equal(ClaudeHint.ChooseStateDirectory, error.Hint);
        Assert.Contains(state, error.Message);
        Assert.Contains($"uid {OtherUser.Id}", error.Message);
        Assert.Contains("another user", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(state));
    }

    [Theory]
    [InlineData(UnixFileMode.GroupWrite, "0770")]
    [InlineData(UnixFileMode.OtherWrite, "0707")]
    [InlineData(UnixFileMode.GroupWrite | UnixFileMode.OtherWrite, "0777")]
    public async Task A_state_folder_of_ours_that_group_or_others_may_write_is_refused_with_the_chmod_to_run(UnixFileMode loose, string shown)
    {
        await using var sandbox = new Sandbox();
        var state = sandbox.StateDir;
        Directory.CreateDirectory(state);
        var mode = OwnerOnly | (loose.HasFlag(UnixFileMode.GroupWrite) ? UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute : 0)
                   | (loose.HasFlag(UnixFileMode.OtherWrite) ? UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute : 0);
        File.SetUnixFileMode(state, mode);

        var error = Assert.Throws<ClaudeTaskException>(() => sandbox.Manager());

        Assert.Equal(ClaudeErrorCode.StateDirectoryUnavailable, error.Code);
        Assert.Equal(ClaudeHint.ChooseStateDirectory, error.Hint);
        Assert.Contains($"mode {shown}", error.Message);
        Assert.Contains($"chmod 700 '{state}'", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(state));
        Assert.Equal(mode, File.GetUnixFileMode(state)); // a folder the user chose is not changed behind their back
    }

    [Fact]
    public async Task A_state_folder_the_store_makes_is_owner_only_and_one_of_ours_that_others_cannot_write_is_used_as_it_is()
    {
        await using var sandbox = new Sandbox();
        sandbox.Manager();
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(sandbox.StateDir));

        var chosen = sandbox.File("chosen");
        Directory.CreateDirectory(chosen);
        var readable = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(chosen, readable);
        var manager = sandbox.Manager(sandbox.Options() with { StateDirectory = chosen });

        Assert.Equal(ClaudeTaskState.Completed, (await CompletionTests.RunAsync(manager, sandbox.Spec("fine"))).State);
        Assert.Equal(readable, File.GetUnixFileMode(chosen));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(chosen, "tasks")));
    }

    [Fact]
    public async Task A_state_folder_given_as_a_link_is_used_where_it_led_when_opened_even_if_the_link_is_changed_later()
    {
        await using var sandbox = new Sandbox();
        var mine = sandbox.File("mine");
        var theirs = sandbox.File("theirs");
        Directory.CreateDirectory(mine, OwnerOnly);
        Directory.CreateDirectory(theirs, OwnerOnly);
        var link = sandbox.File("state-link");
        Directory.CreateSymbolicLink(link, mine);
        var manager = sandbox.Manager(sandbox.Options() with { StateDirectory = link });

        Directory.Delete(link);
        Directory.CreateSymbolicLink(link, theirs); // swapped, as another user could in a shared folder such as /tmp
        var task = await CompletionTests.RunAsync(manager, sandbox.Spec("where am I"));

        Assert.Equal(mine, manager.StateDirectory);
        Assert.True(Directory.Exists(Path.Combine(mine, "tasks", task.Id)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(theirs));
    }

    [Fact]
    public async Task A_state_folder_given_as_a_link_to_nothing_is_refused_and_nothing_is_made_through_it()
    {
        await using var sandbox = new Sandbox();
        var nowhere = sandbox.File("nowhere");
        var link = sandbox.File("state-link");
        Directory.CreateSymbolicLink(link, nowhere);

        var error = Assert.Throws<ClaudeTaskException>(() => sandbox.Manager(sandbox.Options() with { StateDirectory = link }));

        Assert.Equal(ClaudeErrorCode.StateDirectoryUnavailable, error.Code);
        Assert.Contains("symbolic link to nothing", error.Message);
        Assert.False(Directory.Exists(nowhere));
    }

    [Theory]
    [InlineData("tasks")]
    [InlineData("signals")]
    [InlineData("slots")]
    [InlineData("worktrees")]
    public async Task A_link_in_place_of_a_folder_of_the_store_is_refused_and_never_followed(string folder)
    {
        await using var sandbox = new Sandbox();
        Directory.CreateDirectory(sandbox.StateDir, OwnerOnly);
        var elsewhere = sandbox.File("elsewhere");
        Directory.CreateDirectory(elsewhere);
        Directory.CreateSymbolicLink(Path.Combine(sandbox.StateDir, folder), elsewhere);

        var error = Assert.Throws<ClaudeTaskException>(() => sandbox.Manager());

        Assert.Equal(ClaudeErrorCode.StateDirectoryUnavailable, error.Code);
        Assert.Equal(ClaudeHint.ChooseStateDirectory, error.Hint);
        Assert.Contains(Path.Combine(sandbox.StateDir, folder), error.Message);
        Assert.Contains("symbolic link", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
    }

    [OtherUserTheory]
    [InlineData("tasks")]
    [InlineData("signals")]
    [InlineData("slots")]
    [InlineData("worktrees")]
    public async Task A_folder_of_the_store_that_another_user_owns_is_refused(string folder)
    {
        await using var sandbox = new Sandbox();
        Directory.CreateDirectory(sandbox.StateDir, OwnerOnly);
        var planted = Path.Combine(sandbox.StateDir, folder);
        Directory.CreateDirectory(planted, OwnerOnly);
        OtherUser.Own(planted);

        var error = Assert.Throws<ClaudeTaskException>(() => sandbox.Manager());

        Assert.Equal(ClaudeErrorCode.StateDirectoryUnavailable, error.Code);
        Assert.Contains(planted, error.Message);
        Assert.Contains($"uid {OtherUser.Id}", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(planted));
    }

    /// <summary>A folder any user may make entries in (sticky, as /tmp is).</summary>
    private static string SharedFolder(Sandbox sandbox)
    {
        var shared = sandbox.File("shared");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)Convert.ToInt32("1777", 8));
        return shared;
    }
}
