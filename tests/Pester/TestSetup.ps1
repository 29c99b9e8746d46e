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

# --- Jobs, views, tasks ---

# Points the ClaudeCodeMcp cmdlets at a new, empty task store and returns its folder: the test that follows starts
# as in a fresh session, with no tasks and none of them in Get-Job.
function Use-NewTaskStore {
    Get-Job | Where-Object PSJobTypeName -eq 'ClaudeTask' | Remove-Job -Force
    $folder = New-TestFolder 'state'
    $PSDefaultParameterValues['*-Claude*:StateDirectory'] = $folder
    $folder
}

# Removes the current store's tasks (stopping running ones) and this session's task jobs.
function Clear-TestTasks {
    Get-ClaudeTask | Remove-ClaudeTask -Force -Confirm:$false
    Get-Job | Where-Object PSJobTypeName -eq 'ClaudeTask' | Remove-Job -Force
}

# True while the process runs; one that has ended but is not yet reaped (a zombie) counts as ended.
function Test-ProcessRunning([int] $Id) {
    if ($Id -le 0) { return $false }
    if (-not $IsLinux) { return [bool](Get-Process -Id $Id -ErrorAction Ignore) }
    try {
        $stat = [IO.File]::ReadAllText("/proc/$Id/stat")   # "pid (comm) S ...": the state follows the last ')'
    } catch [IO.IOException], [UnauthorizedAccessException] {
        return $false
    }
    $state = $stat[$stat.LastIndexOf(')') + 2]
    $state -cnotin 'Z', 'X'
}

# Waits (bounded, to catch hangs) until none of the processes runs.
function Wait-ProcessEnd([int[]] $Id) {
    Wait-Until { -not ($Id | Where-Object { Test-ProcessRunning $_ }) } "processes $($Id -join ', ') to end"
}

# What $Script prints to the host (What if: lines, Write-Host), which no stream redirection captures: the body of
# a transcript taken while it runs. Its output is discarded.
function Get-HostText([scriptblock] $Script) {
    $path = Join-Path (New-TestFolder 'transcript') 'host.txt'
    Start-Transcript -Path $path -UseMinimalHeader | Out-Null
    try { & $Script | Out-Null } finally { Stop-Transcript | Out-Null }
    $lines = Get-Content $path
    $bars = @(0..($lines.Count - 1) | Where-Object { $lines[$_] -match '^\*{10,}$' })
    # minimal header: bar, "start", time, bar; footer: bar, "end", time, bar
    if ($bars[2] - $bars[1] -le 1) { return '' }
    $lines[($bars[1] + 1)..($bars[2] - 1)] -join "`n"
}
