using System.Management.Automation.Language;
using ClaudeCodeMcp.Module.Tests.Support;

namespace ClaudeCodeMcp.Module.Tests.Module;

/// <summary>The repository's PowerShell files parse, and build.ps1 does what it says.</summary>
public sealed class RepositoryFileTests
{
    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string> { "build.ps1", "ClaudeCodeMcp.psd1" };
        foreach (var file in Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "tests", "Pester"), "*.ps1")
                     .Concat(Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "tools"), "*.ps1")))
            data.Add(Path.GetRelativePath(TestPaths.RepositoryRoot, file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_parses_without_errors(string relativePath)
    {
        Parser.ParseFile(Path.Combine(TestPaths.RepositoryRoot, relativePath), out _, out var errors);

        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}")));
    }

    [Fact]
    public void build_ps1_installs_into_the_documented_per_user_module_folder()
    {
        var ast = Parser.ParseFile(Path.Combine(TestPaths.RepositoryRoot, "build.ps1"), out _, out _);
        var function = (FunctionDefinitionAst?)ast.Find(a => a is FunctionDefinitionAst f && f.Name == "Get-UserModulePath", true);
        Assert.NotNull(function);
        using var ps = System.Management.Automation.PowerShell.Create(System.Management.Automation.Runspaces.InitialSessionState.CreateDefault2());
        // The hosted engine has no Join-Path (Microsoft.PowerShell.Management): a stand-in taking the child paths as arguments.
        ps.AddScript("""
            function Join-Path { $p = $args[0]; foreach ($c in $args[1..($args.Count - 1)]) { $p = [IO.Path]::Combine($p, $c) }; $p }

            """ + function!.Extent.Text + "\nGet-UserModulePath; $HOME");
        var output = ps.Invoke().Select(o => o.ToString()).ToList();

        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(output[1], ".local", "share");
        Assert.Equal(Path.Combine(dataHome, "powershell", "Modules"), output[0]);
    }

    [Fact]
    public void build_ps1_only_calls_dotnet_to_build()
    {
        var ast = Parser.ParseFile(Path.Combine(TestPaths.RepositoryRoot, "build.ps1"), out _, out _);
        var commands = ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>().Select(c => c.GetCommandName()).ToHashSet();

        Assert.Contains("dotnet", commands);
        Assert.DoesNotContain("msbuild", commands);
    }
}
