using ClaudeCodeMcp.Module.Tests.Support;
using ClaudeCodeMcp.Tests.Shared;

namespace ClaudeCodeMcp.Module.Tests.Pester;

/// <summary>
/// The user-level suite of the module: every file of tests/Pester, run by Pester 5.7.1 in real pwsh 7.6.9, as a user
/// would run it (<c>Invoke-Pester ./tests/Pester</c>). One test here per file; a failure shows Pester's own report.
/// Each file runs in a private temp folder (its TMPDIR), and no process may be left running there.
/// </summary>
[Collection(nameof(PesterSuiteTests))] // one pwsh at a time: the files start many children each
public sealed class PesterSuiteTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(5);

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "tests", "Pester"), "*.Tests.ps1").Order())
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Pester_file_passes_in_real_pwsh(string file)
    {
        var root = Path.Combine(Path.GetTempPath(), "ccm-pester-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            var script = $$"""
                $ErrorActionPreference = 'Stop'
                Import-Module {{RealPwsh.Quote(RealPwsh.PesterManifest)}}
                $configuration = New-PesterConfiguration
                $configuration.Run.Path = {{RealPwsh.Quote(Path.Combine(TestPaths.RepositoryRoot, "tests", "Pester", file))}}
                $configuration.Run.PassThru = $true
                $configuration.Output.Verbosity = 'Detailed'
                $configuration.Output.RenderMode = 'Plaintext'
                $result = Invoke-Pester -Configuration $configuration
                "PESTER-SUMMARY passed=$($result.PassedCount) failed=$($result.FailedCount) blocks-failed=$($result.FailedBlocksCount) containers-failed=$($result.FailedContainersCount)"
                """;
            var run = await RealPwsh.RunAsync(script, root, Hang, extraVariables: new Dictionary<string, string>
            {
                ["TMPDIR"] = root,
                ["CCM_TEST_MODULE"] = TestPaths.ModuleManifest,
                ["CCM_TEST_CLAUDE"] = TestPaths.FakeClaude,
            });

            var summary = Assert.Single(run.LinesAfter("PESTER-SUMMARY "));
            Assert.True(run.ExitCode == 0 && summary.EndsWith(" failed=0 blocks-failed=0 containers-failed=0", StringComparison.Ordinal) && !summary.StartsWith("passed=0 ", StringComparison.Ordinal),
                $"Pester: {summary}\n{run}");
            await ProcessAssert.AssertNoneLeftInAsync(root);
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
