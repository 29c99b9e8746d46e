# Watch-ClaudeTask as a person sees it: the board runs in a tmux pane of a given size, tasks are started and stopped
# from another window of the same tmux session, and the test reads the board off the screen (capture-pane).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-TestModule
    if (-not (Get-Command tmux -ErrorAction Ignore)) { throw 'tmux is needed for the board tests (.ci/run installs it).' }

    # The start of a pwsh script that uses the module, the test's store and the test double for claude.
    function Get-Prelude {
        "Import-Module '$(Get-TestModulePath)'`n" +
        "`$PSDefaultParameterValues['*-Claude*:StateDirectory'] = '$($sandbox.State)'`n" +
        "`$PSDefaultParameterValues['*-Claude*:ClaudePath'] = '$(Get-TestClaudePath)'`n" +
        "Set-Location '$($sandbox.Work)'`n"
    }

    # A tmux session of its own (its socket in the test's folder, never a shared /tmp name) whose first window, $Width x $Height, runs Watch-ClaudeTask
    # $Arguments, and whose second window runs a pwsh that waits for commands (Send-Command).
    function Start-Board([int] $Width, [int] $Height, [string] $Arguments = '') {
        $script:socket = Join-Path $sandbox.Root ('tmux-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        $board = Join-Path $sandbox.Root 'board.ps1'
        Set-Content -LiteralPath $board -Value ((Get-Prelude) + "Watch-ClaudeTask $Arguments -Interval 0.3`n'board ended' | Set-Content '$($sandbox.Root)/board-ended'")
        $other = Join-Path $sandbox.Root 'other.ps1'
        # A short prompt, on one line whatever the folder's length.
        Set-Content -LiteralPath $other -Value ((Get-Prelude) + "function prompt { 'PS> ' }`n")
        $pwsh = "'$([Environment]::ProcessPath)' '$(Join-Path $PSHOME 'pwsh.dll')' -NoProfile"
        tmux -S $script:socket new-session -d -s board -x $Width -y $Height "$pwsh -File '$board'"
        tmux -S $script:socket new-window -d -t board: "$pwsh -NoExit -File '$other'"
        # Keys typed before the other pwsh shows its prompt may be lost, as they would be for a person.
        Wait-Until { @(tmux -S $script:socket capture-pane -p -t board:1) -match '^PS> ?$' } 'the prompt in the other window' -Seconds 90
    }

    # Types a command into the other window and presses Enter, as a person would.
    function Send-Command([string] $Command) {
        tmux -S $script:socket send-keys -t board:1 -l $Command
        tmux -S $script:socket send-keys -t board:1 Enter
    }

    function Send-Key([string] $Key) { tmux -S $script:socket send-keys -t board:0 -l $Key }

    # The board's screen, a line per row.
    function Read-Board { @(tmux -S $script:socket capture-pane -p -t board:0) }

    # Waits (bounded, to catch hangs) until the screen shows what $Condition looks for; returns the screen.
    function Wait-Board([scriptblock] $Condition, [string] $What) {
        # A script block finds its variables by the call stack: inside Wait-Until, $Condition is Wait-Until's own.
        $shows = $Condition
        try { Wait-Until { & $shows (Read-Board) } $What -Seconds 90 }
        catch {
            $other = @(tmux -S $script:socket capture-pane -p -t board:1) -join "`n"
            throw "$($_.Exception.Message)`nThe board showed:`n$((Read-Board) -join "`n")`nThe other window showed:`n$other"
        }
        Read-Board
    }

    # The board drawn once by another pwsh whose output is redirected: the plain table, as text.
    function Invoke-PlainBoard([string] $Arguments = '') {
        $out = Join-Path $sandbox.Root ('plain-' + [guid]::NewGuid().ToString('N') + '.txt')
        $process = Start-Process -FilePath ([Environment]::ProcessPath) -Wait -PassThru -RedirectStandardOutput $out `
            -ArgumentList (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-Command', ((Get-Prelude) + "Watch-ClaudeTask -Count 1 $Arguments")
        if ($process.ExitCode -ne 0) { throw "Watch-ClaudeTask -Count 1 ended with $($process.ExitCode)." }
        Get-Content -LiteralPath $out -Raw
    }

    function Stop-Board {
        if ($script:socket) { tmux -S $script:socket kill-server 2>$null }
        $script:socket = $null
    }
}

AfterAll {
    Remove-TestModule
}

Describe 'Watch-ClaudeTask' {
    BeforeEach {
        $sandbox = Enter-TestSandbox 'board'
        $cue = Join-Path $sandbox.Root 'cue'
    }

    AfterEach {
        Stop-Board
        Exit-TestSandbox $sandbox
    }

    It 'shows a task started from another window as it runs and as it is stopped, in 80 columns' {
        Start-Board -Width 80 -Height 24
        Wait-Board { param($s) $s -match 'No tasks yet' } 'the empty board' | Out-Null

        Send-Command "Start-ClaudeTask `"fake:text halfway there``nfake:wait-for $cue`" -Name one"
        $running = Wait-Board { param($s) $s -match '^running\s+\w{8} one\s+turn 1: halfway there' } 'the running task'
        Send-Command 'Stop-ClaudeTask -Name one'
        $stopped = Wait-Board { param($s) $s -match '^cancelled\s+\w{8} one\b' } 'the cancelled task'
        Send-Key 'r'
        $runningOnly = Wait-Board { param($s) ($s -match 'Queued and running only') -and -not ($s -match '^cancelled') } 'only running tasks'
        Send-Key 'q'
        Wait-Until { Test-Path (Join-Path $sandbox.Root 'board-ended') } 'the board to end on q'

        $running | Where-Object { $_ -match '^Claude tasks \d\d:\d\d:\d\d UTC: 1 running; \$0, 0 tokens$' } | Should -Not -BeNullOrEmpty
        $running | Where-Object { $_ -match '^State\s+TaskId\s+Name\s+Doing\s+Elapsed\s+Cost\s+Tokens$' } | Should -Not -BeNullOrEmpty
        foreach ($screen in $running, $stopped, $runningOnly) { $screen | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 } }
        $stopped | Where-Object { $_ -match '^Claude tasks' } | Should -Match 'UTC: 1 cancelled;'
    }

    It 'shows as many of 30 tasks as fit in 80 x 24, saying how many more, and all of them in a wide terminal' {
        Start-Board -Width 80 -Height 24
        Send-Command "1..30 | ForEach-Object { [pscustomobject]@{ Prompt = `"fake:text answer `$_``nfake:wait-for $cue`"; Name = `"a-long-task-name-`$_`" } } | Start-ClaudeTask | Out-Null"
        $narrow = Wait-Board { param($s) ($s -match '26 queued, 4 running') -and ($s -match 'more, older') } 'the 30 tasks'
        Stop-Board
        Start-Board -Width 200 -Height 50
        $wide = Wait-Board { param($s) @($s -match 'a-long-task-name-\d+ ').Count -eq 30 } 'all 30 tasks in the wide terminal'
        New-Item -ItemType File -Path $cue | Out-Null

        $narrow.Count | Should -BeLessOrEqual 24
        @($narrow -match '^(running|queued)\s').Count | Should -BeGreaterThan 15
        $narrow | Where-Object { $_ -match '^… (\d+) more, older' } | Should -Not -BeNullOrEmpty
        $narrow | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        $narrow | Where-Object { $_ -match 'a-long-ta…' } | Should -Not -BeNullOrEmpty   # the name cut to its column
        $wide | Where-Object { $_ -match 'a-long-task-name-30 ' } | Should -Not -BeNullOrEmpty   # newest first, whole
        ($wide | Select-String 'a-long-task-name-30 ').LineNumber | Should -BeLessThan ($wide | Select-String 'a-long-task-name-1 ').LineNumber
    }

    It 'shows the branch of each worktree task, and no branch column without one' {
        $saved = @{ HOME = $env:HOME; GIT_CONFIG_NOSYSTEM = $env:GIT_CONFIG_NOSYSTEM }
        try {
            # git with a private home naming a test user, never the user's own settings.
            $env:HOME = New-TestFolder 'home'
            $env:GIT_CONFIG_NOSYSTEM = '1'
            "[user]`n`tname = Test User`n`temail = test@example.invalid`n" | Set-Content (Join-Path $env:HOME '.gitconfig')
            $repo = Join-Path $sandbox.Work 'repo'
            $null = New-Item -ItemType Directory -Path $repo
            git -C $repo init --quiet; 'base' | Set-Content (Join-Path $repo 'a.txt'); git -C $repo add --all; git -C $repo commit --quiet -m base
            $plain = Start-ClaudeTask 'fake:text no branch' -Name plain | Wait-ClaudeTask
            $before = Invoke-PlainBoard
            $isolated = Start-ClaudeTask 'fake:write a.txt changed' -Name isolated -Isolation Worktree -WorkingDirectory $repo | Wait-ClaudeTask
            $after = Invoke-PlainBoard
        }
        finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }

        $before | Should -Not -Match '(?m)^State.*Branch'
        $after | Should -Match '(?m)^State\s+TaskId\s+Name\s+Doing\s+Elapsed\s+Cost\s+Tokens\s+Branch$'
        $after | Should -Match "(?m)^completed\s+$($isolated.TaskId) isolated .* claude-task/$($isolated.TaskId)$"
        $after | Should -Match "(?m)^completed\s+$($plain.TaskId) plain\s+no branch\s+\S+\s+\S+\s+\S+$"
    }

    It 'filters by -Name, -State and -Running as Get-ClaudeTask does' {
        Start-ClaudeTask 'fake:text all good' -Name alpha | Wait-ClaudeTask | Out-Null
        Start-ClaudeTask 'fake:error-result error_during_execution it broke' -Name beta | Wait-ClaudeTask | Out-Null
        Start-ClaudeTask "fake:text working`nfake:wait-for $cue" -Name gamma | Out-Null
        Wait-Until { (Get-ClaudeTask -Name gamma).State -eq 'Running' } 'gamma to run'

        $named = Invoke-PlainBoard "-Name 'al*'"
        $failed = Invoke-PlainBoard '-State Failed'
        $running = Invoke-PlainBoard '-Running'
        New-Item -ItemType File -Path $cue | Out-Null

        $named | Should -Match '(?m)^completed\s+\w{8} alpha\b'
        $named | Should -Not -Match 'beta|gamma'
        $failed | Should -Match '(?m)^failed\s+\w{8} beta\b'
        $failed | Should -Not -Match 'alpha|gamma'
        $running | Should -Match '(?m)^running\s+\w{8} gamma\s+turn 1: working'
        $running | Should -Not -Match 'alpha|beta'
    }

    It 'prints a plain table at each interval when its output is redirected' {
        Start-ClaudeTask 'fake:text plain words' -Name plain | Wait-ClaudeTask | Out-Null
        $out = Join-Path $sandbox.Root 'plain.txt'
        $script = (Get-Prelude) + 'Watch-ClaudeTask -Count 2 -Interval 0.2'
        $process = Start-Process -FilePath ([Environment]::ProcessPath) -ArgumentList (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-Command', $script `
            -RedirectStandardOutput $out -PassThru -Wait

        $text = Get-Content -LiteralPath $out -Raw
        $process.ExitCode | Should -Be 0
        $text | Should -Not -Match "`e"
        ([regex]::Matches($text, '(?m)^completed\s+\w{8} plain\s+plain words')).Count | Should -Be 2
    }
}
