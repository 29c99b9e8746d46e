using Xunit;

namespace ClaudeCodeMcp.Engine.Tests.Unit;

/// <summary>Finding claude: explicit path, then CLAUDE_CODE_PATH, then PATH. Never the machine's own PATH.</summary>
public sealed class ClaudeExecutableLocatorTests : IDisposable
{
    private const UnixFileMode Executable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode NotExecutable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static readonly string ClaudeName = OperatingSystem.IsWindows() ? "claude.exe" : "claude";

    private readonly UnitTempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Folder(string name)
    {
        var dir = Path.Combine(_temp.Path, name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string MakeFile(string dir, string name, bool executable = true)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, "#!/bin/sh\nexit 0\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, executable ? Executable : NotExecutable);
        return path;
    }

    private static Dictionary<string, string> Env(params (string Name, string Value)[] variables) =>
        variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);

    private string EmptyPath() => Folder("empty-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Explicit_path_wins_over_CLAUDE_CODE_PATH_and_PATH()
    {
        var explicitClaude = MakeFile(Folder("explicit"), ClaudeName);
        var envClaude = MakeFile(Folder("env"), ClaudeName);
        var pathDir = Folder("path");
        MakeFile(pathDir, ClaudeName);

        var found = ClaudeExecutableLocator.Locate(explicitClaude, Env(("CLAUDE_CODE_PATH", envClaude), ("PATH", pathDir)));
        Assert.Equal(explicitClaude, found);
    }

    [Fact]
    public void Explicit_path_is_returned_as_a_full_path()
    {
        var dir = Folder("explicit");
        var claude = MakeFile(dir, "my-claude");
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, claude);
        Assert.Equal(claude, ClaudeExecutableLocator.Locate(relative, Env()));
    }

    [Fact]
    public void Missing_explicit_path_is_ClaudeNotFound_naming_that_path_even_when_others_exist()
    {
        var missing = Path.Combine(_temp.Path, "nowhere", "claude");
        var envClaude = MakeFile(Folder("env"), ClaudeName);
        var pathDir = Folder("path");
        MakeFile(pathDir, ClaudeName);

        var error = Assert.Throws<ClaudeTaskException>(
            () => ClaudeExecutableLocator.Locate(missing, Env(("CLAUDE_CODE_PATH", envClaude), ("PATH", pathDir))));
        Assert.Equal(ClaudeErrorCode.ClaudeNotFound, error.Code);
        Assert.Contains(missing, error.Message);
        Assert.Equal(ClaudeHint.ChooseClaudePath, error.Hint);
    }

    [UnixFact]
    public void Explicit_path_to_a_file_that_is_not_executable_is_ClaudeNotFound()
    {
        var claude = MakeFile(Folder("explicit"), ClaudeName, executable: false);
        var error = Assert.Throws<ClaudeTaskException>(() => ClaudeExecutableLocator.Locate(claude, Env()));
        Assert.Equal(ClaudeErrorCode.ClaudeNotFound, error.Code);
        Assert.Contains(claude, error.Message);
    }

    [Fact]
    public void Explicit_path_to_a_folder_is_ClaudeNotFound()
    {
        var dir = Folder("a-folder");
        var error = Assert.Throws<ClaudeTaskException>(() => ClaudeExecutableLocator.Locate(dir, Env()));
        Assert.Equal(ClaudeErrorCode.ClaudeNotFound, error.Code);
        Assert.Contains(dir, error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void CLAUDE_CODE_PATH_is_used_when_there_is_no_explicit_path(string? explicitPath)
    {
        var envClaude = MakeFile(Folder("env"), "claude-from-env");
        var pathDir = Folder("path");
        MakeFile(pathDir, ClaudeName);

        var found = ClaudeExecutableLocator.Locate(explicitPath, Env(("CLAUDE_CODE_PATH", envClaude), ("PATH", pathDir)));
        Assert.Equal(envClaude, found);
    }

    [Fact]
    public void Missing_CLAUDE_CODE_PATH_target_is_ClaudeNotFound_naming_the_variable_and_path()
    {
        var missing = Path.Combine(_temp.Path, "gone", "claude");
        var pathDir = Folder("path");
        MakeFile(pathDir, ClaudeName);

        var error = Assert.Throws<ClaudeTaskException>(
            () => ClaudeExecutableLocator.Locate(null, Env(("CLAUDE_CODE_PATH", missing), ("PATH", pathDir))));
        Assert.Equal(ClaudeErrorCode.ClaudeNotFound, error.Code);
        Assert.Contains(missing, error.Message);
        Assert.Contains("CLAUDE_CODE_PATH", error.Message);
    }

    [Fact]
    public void Blank_CLAUDE_CODE_PATH_falls_through_to_PATH()
    {
        var pathDir = Folder("path");
        var claude = MakeFile(pathDir, ClaudeName);
        Assert.Equal(claude, ClaudeExecutableLocator.Locate(null, Env(("CLAUDE_CODE_PATH", " "), ("PATH", pathDir))));
    }

    [Fact]
    public void Claude_on_PATH_is_found()
    {
        var first = Folder("bin1");
        var second = Folder("bin2");
        var claude = MakeFile(second, ClaudeName);
        var path = string.Join(Path.PathSeparator, EmptyPath(), first, second);

        Assert.Equal(claude, ClaudeExecutableLocator.Locate(null, Env(("PATH", path))));
    }

    [Fact]
    public void The_first_claude_on_PATH_wins()
    {
        var first = Folder("bin1");
        var second = Folder("bin2");
        var claude = MakeFile(first, ClaudeName);
        MakeFile(second, ClaudeName);
        var path = string.Join(Path.PathSeparator, first, second);

        Assert.Equal(claude, ClaudeExecutableLocator.Locate(null, Env(("PATH", path))));
    }

    [Fact]
    public void Empty_and_quoted_PATH_entries_are_handled()
    {
        var bin = Folder("quoted bin");
        var claude = MakeFile(bin, ClaudeName);
        var sep = Path.PathSeparator;
        var path = $"{sep}{sep}\"{bin}\"{sep}";

        Assert.Equal(claude, ClaudeExecutableLocator.Locate(null, Env(("PATH", path))));
    }

    [Fact]
    public void A_relative_PATH_entry_still_gives_a_full_path()
    {
        var bin = Folder("relative-bin");
        var claude = MakeFile(bin, ClaudeName);
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, bin);
        Assert.False(Path.IsPathRooted(relative));

        var found = ClaudeExecutableLocator.Locate(null, Env(("PATH", relative)));
        Assert.True(Path.IsPathRooted(found), found);
        Assert.Equal(claude, found);
    }

    [UnixFact]
    public void A_non_executable_claude_on_PATH_is_skipped()
    {
        var first = Folder("bin1");
        var second = Folder("bin2");
        MakeFile(first, ClaudeName, executable: false);
        var claude = MakeFile(second, ClaudeName);
        var path = string.Join(Path.PathSeparator, first, second);

        Assert.Equal(claude, ClaudeExecutableLocator.Locate(null, Env(("PATH", path))));
    }

    [UnixFact]
    public void Only_a_non_executable_claude_on_PATH_is_ClaudeNotFound()
    {
        var bin = Folder("bin");
        MakeFile(bin, ClaudeName, executable: false);
        var error = Assert.Throws<ClaudeTaskException>(() => ClaudeExecutableLocator.Locate(null, Env(("PATH", bin))));
        Assert.Equal(ClaudeErrorCode.ClaudeNotFound, error.Code);
    }

    [UnixFact]
    public void A_folder_named_claude_on_PATH_is_skipped()
    {
        var first = Folder("bin1");
        Directory.CreateDirectory(Path.Combine(first, ClaudeName));
        var second = Folder("bin2");
        var claude = MakeFile(second, ClaudeName);
        var path = string.Join(Path.PathSeparator, first, second);

        Assert.Equal(claude, ClaudeExecutableLocator.Locate(null, Env(("PATH", path))));
    }

    [Fact]
    public void Nothing_anywhere_is_ClaudeNotFound_with_the_hint_to_say_where_it_is()
    {
        var error = Assert.Throws<ClaudeTaskException>(() => ClaudeExecutableLocator.Locate(null, Env(("PATH", EmptyPath()))));
        Assert.Equal(ClaudeErrorCode.ClaudeNotFound, error.Code);
        Assert.Equal(ClaudeHint.ChooseClaudePath, error.Hint);
        Assert.Contains("npm install", error.Message);
        Assert.DoesNotContain("-ClaudePath", error.Message);
        Assert.DoesNotContain("--claude-path", error.Message);
    }

    [Fact]
    public void No_PATH_variable_at_all_is_ClaudeNotFound()
    {
        var error = Assert.Throws<ClaudeTaskException>(() => ClaudeExecutableLocator.Locate(null, Env(("HOME", _temp.Path))));
        Assert.Equal(ClaudeErrorCode.ClaudeNotFound, error.Code);
        Assert.Equal(ClaudeHint.ChooseClaudePath, error.Hint);
    }
}
