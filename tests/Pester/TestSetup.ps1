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

# Imports the built module afresh and points its cmdlets at the test double for claude; with -WithStore also at a new,
# empty task store, whose folder it returns.
function Import-TestModule([switch] $WithStore) {
    Import-Module (Get-TestModulePath) -Force -Global
    $PSDefaultParameterValues['*-Claude*:ClaudePath'] = Get-TestClaudePath
    if ($WithStore) {
        $folder = New-TestFolder 'state'
        $PSDefaultParameterValues['*-Claude*:StateDirectory'] = $folder
        $folder
    }
}

# Removes the tasks of the current store (stopping running ones), the defaults Import-TestModule set, and the module.
function Remove-TestModule {
    if ($PSDefaultParameterValues.Contains('*-Claude*:StateDirectory')) { Get-ClaudeTask | Remove-ClaudeTask -Force -Confirm:$false }
    $PSDefaultParameterValues.Remove('*-Claude*:StateDirectory')
    $PSDefaultParameterValues.Remove('*-Claude*:ClaudePath')
    Remove-Module ClaudeCodeMcp -ErrorAction Ignore
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

# Starts a test in a sandbox of its own (New-TestSandbox): the cmdlets use its store, the location is its work folder.
function Enter-TestSandbox([string] $What) {
    $sandbox = New-TestSandbox $What
    $PSDefaultParameterValues['*-Claude*:StateDirectory'] = $sandbox.State
    Push-Location $sandbox.Work
    $sandbox
}

# Ends a test's sandbox: back to the location before it, its tasks removed (running ones stopped), no process left in it.
function Exit-TestSandbox($Sandbox) {
    Pop-Location
    Get-ClaudeTask | Remove-ClaudeTask -Force -Confirm:$false
    Wait-Until { -not (Get-ProcessIn $Sandbox.Root) } 'no process left in the test''s folder'
}

# True while the process runs; one that has ended but is not yet reaped (a zombie) counts as ended.
function Test-ProcessAlive([int] $Id) {
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
    Wait-Until { -not ($Id | Where-Object { Test-ProcessAlive $_ }) } "processes $($Id -join ', ') to end"
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

# --- Invoke, errors, help, other processes ---

# A folder of its own for one test, as a fresh session would have: Root holds State (the store) and Work (the location).
function New-TestSandbox([string] $What) {
    $root = New-TestFolder $What
    [pscustomobject]@{
        Root  = $root
        State = Join-Path $root 'state'
        Work  = (New-Item -ItemType Directory -Path (Join-Path $root 'work')).FullName
    }
}

# Live processes (not this one) whose working directory is $Folder or below it: a child, or anything it left behind.
function Get-ProcessIn([string] $Folder) {
    $prefix = $Folder.TrimEnd('/') + '/'
    foreach ($entry in [IO.Directory]::EnumerateDirectories('/proc')) {
        $id = 0
        if (-not [int]::TryParse([IO.Path]::GetFileName($entry), [ref] $id) -or $id -eq $PID) { continue }
        try {
            $cwd = [IO.DirectoryInfo]::new((Join-Path $entry 'cwd')).LinkTarget
            if ($cwd -and ($cwd + '/').StartsWith($prefix, [StringComparison]::Ordinal) -and (Test-ProcessAlive $id)) { $id }
        } catch [IO.IOException], [UnauthorizedAccessException] {
        }
    }
}

# Sends a POSIX signal (INT, TERM, KILL, ...) to one process, as a terminal or `kill -s` would.
function Send-Signal([int] $ProcessId, [string] $Signal) {
    & /usr/bin/env kill -s $Signal $ProcessId
    if ($LASTEXITCODE -ne 0) { throw "kill -s $Signal $ProcessId failed ($LASTEXITCODE)." }
}

# Another pwsh used as a terminal session: it reads commands from its input one line at a time (`-Command -`), so
# Ctrl+C (SIGINT) stops the running command and the session goes on to the next. Its location is $Location and it
# has this file's functions. Send-PwshSession types a line; Read-PwshSession asks for a value; Stop-OtherPwsh ends it.
function Start-PwshSession([string] $StateDirectory, [string] $Location) {
    $start = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    foreach ($argument in (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', '-') {
        $start.ArgumentList.Add($argument)
    }
    $start.WorkingDirectory = [IO.Path]::GetTempPath()   # the process's own folder; the session's location is $Location
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $session = [Diagnostics.Process]::Start($start)
    Send-PwshSession $session (". '$(Join-Path $PSScriptRoot 'TestSetup.ps1')'; Import-Module '$(Get-TestModulePath)'; " +
        "`$PSDefaultParameterValues['*-Claude*:StateDirectory'] = '$StateDirectory'; " +
        "`$PSDefaultParameterValues['*-Claude*:ClaudePath'] = '$(Get-TestClaudePath)'; Set-Location '$Location'")
    $session
}

function Send-PwshSession([Diagnostics.Process] $Session, [string] $Line) {
    $Session.StandardInput.WriteLine($Line)
    $Session.StandardInput.Flush()
}

# Runs $Expression in the session once what was typed before has run, and returns its value as text.
function Read-PwshSession([Diagnostics.Process] $Session, [string] $Expression, [int] $Seconds = 60) {
    $marker = 'CCM-ANSWER-' + [guid]::NewGuid().ToString('N') + ' '
    Send-PwshSession $Session "'$marker' + ($Expression)"
    $clock = [Diagnostics.Stopwatch]::StartNew()
    while ($true) {
        $left = [Math]::Max(0, $Seconds * 1000 - $clock.ElapsedMilliseconds)
        $read = $Session.StandardOutput.ReadLineAsync()
        if (-not $read.Wait([int]$left)) { throw "Gave up after $Seconds s waiting for the session to answer $Expression." }
        if ($null -eq $read.Result) { throw "The session ended before it answered $Expression`: $($Session.StandardError.ReadToEnd())" }
        $at = $read.Result.IndexOf($marker)
        if ($at -ge 0) { return $read.Result.Substring($at + $marker.Length) }
    }
}

# How many tasks of a state folder's engine in this process still have subscribers (jobs or cmdlets following them):
# one left behind is a poller that runs until the session ends. The module's internals, read by reflection.
function Get-FollowedTaskCount([string] $StateDirectory) {
    $type = (Get-Module ClaudeCodeMcp).ImplementingAssembly.GetType('ClaudeCodeMcp.SharedEngine', $true)
    $engines = $type.GetField('Engines', [Reflection.BindingFlags]'Static, NonPublic').GetValue($null)
    $engine = $engines[[IO.Path]::TrimEndingDirectorySeparator([IO.Path]::GetFullPath($StateDirectory))].Value
    $type.GetField('_followers', [Reflection.BindingFlags]'Instance, NonPublic').GetValue($engine).Count
}

# How this process follows other processes' tasks of a state folder: how many tasks, and how many loops do it (the
# engine's one loop, or none). The module's internals, read by reflection.
function Get-ForeignFollowing([string] $StateDirectory) {
    $type = (Get-Module ClaudeCodeMcp).ImplementingAssembly.GetType('ClaudeCodeMcp.SharedEngine', $true)
    $engines = $type.GetField('Engines', [Reflection.BindingFlags]'Static, NonPublic').GetValue($null)
    $engine = $engines[[IO.Path]::TrimEndingDirectorySeparator([IO.Path]::GetFullPath($StateDirectory))].Value
    $follower = $type.GetField('_foreign', [Reflection.BindingFlags]'Instance, NonPublic').GetValue($engine)
    $looping = $follower.GetType().GetField('_looping', [Reflection.BindingFlags]'Instance, NonPublic').GetValue($follower)
    [pscustomobject]@{ Tasks = $type.GetProperty('ForeignFollowed', [Reflection.BindingFlags]'Instance, NonPublic').GetValue($engine); Loops = [int]$looping }
}

# Waits (bounded: the engine's events arrive on its own thread) until no task of the folder's engine has subscribers.
function Assert-NoFollowersLeft([string] $StateDirectory) {
    Wait-Until { (Get-FollowedTaskCount $StateDirectory) -eq 0 } 'no task with subscribers'
}

# A new runspace of this pwsh with the module imported and the store and claude set as here: a second runspace of the
# same process, or a way to read what a script cannot redirect (progress records, in .Streams.Progress).
function New-ModulePowerShell([string] $StateDirectory) {
    $shell = [powershell]::Create()
    $null = $shell.AddScript({
        param($Module, $State, $Claude)
        Import-Module $Module -ErrorAction Stop
        $PSDefaultParameterValues['*-Claude*:StateDirectory'] = $State
        $PSDefaultParameterValues['*-Claude*:ClaudePath'] = $Claude
    }).AddArgument((Get-TestModulePath)).AddArgument($StateDirectory).AddArgument((Get-TestClaudePath))
    $null = $shell.Invoke()
    $shell.Commands.Clear()
    $shell
}
