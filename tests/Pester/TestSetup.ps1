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

# Another pwsh process (a second user session) running $Script with the module imported and the same store;
# returns the process. $Script ends when it likes; Stop-OtherPwsh ends it in any case.
function Start-OtherPwsh([string] $Script, [string] $StateDirectory) {
    $prelude = "Import-Module '$(Get-TestModulePath)'; " +
        "`$PSDefaultParameterValues['*-Claude*:StateDirectory'] = '$StateDirectory'; " +
        "`$PSDefaultParameterValues['*-Claude*:ClaudePath'] = '$(Get-TestClaudePath)'; "
    $start = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    foreach ($argument in (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', ($prelude + $Script)) {
        $start.ArgumentList.Add($argument)
    }
    $start.RedirectStandardInput = $true   # open until Stop-OtherPwsh: a script may read it to wait
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    [Diagnostics.Process]::Start($start)
}

# Ends the other pwsh: closes its input (a script reading it ends normally), then kills it if it lingers.
function Stop-OtherPwsh([Diagnostics.Process] $Process) {
    $Process.StandardInput.Close()
    if (-not $Process.WaitForExit(30000)) { $Process.Kill($true) }
    $Process.WaitForExit()
}

# Waits (bounded, to catch hangs) until $Condition is true.
function Wait-Until([scriptblock] $Condition, [string] $What, [int] $Seconds = 60) {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    while (-not (& $Condition)) {
        if ($clock.Elapsed.TotalSeconds -gt $Seconds) { throw "Gave up after $Seconds s waiting for $What." }
        Start-Sleep -Milliseconds 50
    }
}
