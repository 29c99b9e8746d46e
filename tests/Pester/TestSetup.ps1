# Shared by the Pester files: where the module and the test double for claude are, and private temp folders.
# `dotnet test` passes the built paths in CCM_TEST_MODULE and CCM_TEST_CLAUDE and gives each file a private TMPDIR;
# by hand, the Release build's paths in this repository are used.

function Get-TestModulePath {
    if ($env:CCM_TEST_MODULE) { return $env:CCM_TEST_MODULE }
    Join-Path $PSScriptRoot '..' '..' 'out' 'ClaudeCodeMcp' 'ClaudeCodeMcp.psd1' -Resolve
}

function Get-TestClaudePath {
    if ($env:CCM_TEST_CLAUDE) { return $env:CCM_TEST_CLAUDE }
    Join-Path $PSScriptRoot '..' 'FakeClaude' 'bin' 'Release' 'net10.0' ($IsWindows ? 'claude.exe' : 'claude') -Resolve
}

# A new folder under the temp folder, named for what it holds.
function New-TestFolder([string] $What) {
    $path = Join-Path ([IO.Path]::GetTempPath()) ("ccm-$What-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $path | Select-Object -ExpandProperty FullName
}
