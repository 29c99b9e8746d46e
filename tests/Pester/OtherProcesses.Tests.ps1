# Tasks owned by another process that shares the state folder (a second pwsh session), and by another runspace of
# this one: seen, followed to their end, waited for, received and stopped from here.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-TestModule

    # Another pwsh session on this test's store that runs $Script in the test's folder, then waits until it is stopped.
    function Start-Owner([string] $Script) {
        Start-OtherPwsh -StateDirectory $sandbox.State -Script ("Set-Location '$($sandbox.Work)'`n" + $Script + "`n[Console]::In.ReadLine() | Out-Null")
    }

    # What an owner wrote to a file of the test's folder, once it is there (it is written aside and renamed into place).
    function Read-FromOwner([string] $Path) {
        Wait-Until { Test-Path -LiteralPath $Path } "the other session to write $Path"
        Get-Content -LiteralPath $Path
    }
}

AfterAll {
    Remove-TestModule
}

Describe 'Tasks of other processes and runspaces' {
    BeforeEach {
        # Each test has a store and a folder of its own, as a fresh session would.
        $sandbox = Enter-TestSandbox 'other'
        $owner = $null
    }

    AfterEach {
        if ($owner) { Stop-OtherPwsh $owner }
        Exit-TestSandbox $sandbox
    }

    It 'shows another process''s running task, and its job follows it to the end' {
        $release = Join-Path $sandbox.Root 'release'
        $owner = Start-Owner "Start-ClaudeTask `"fake:wait-for $release``nfake:text from afar`" -Name afar | Out-Null"
        Wait-Until { @(Get-ClaudeTask -Name afar -State Running -ErrorAction Ignore).Count -eq 1 } 'the other session''s task to run'

        $task = Get-ClaudeTask -Name afar

        $task.TaskState | Should -Be 'Running'
        $task.State | Should -Be 'Running'
        $task.OwnerProcessId | Should -Be $owner.Id
        $task.Location | Should -BeExactly "pid $($owner.Id)"

        New-Item -ItemType File -Path $release | Out-Null
        $result = $task | Wait-Job -Timeout 60 | Receive-Job

        $result.Result | Should -BeExactly 'from afar'
        $task.State | Should -Be 'Completed'
    }

    It 'shows another process''s finished task as a finished job as soon as it is seen' {
        $flag = Join-Path $sandbox.Root 'finished'
        $owner = Start-Owner @"
            `$done = Start-ClaudeTask 'fake:text done elsewhere'
            `$failed = Start-ClaudeTask 'fake:api-error 500 broke elsewhere'
            `$done, `$failed | Wait-ClaudeTask | Out-Null
            `$done.TaskId, `$done.TaskState, `$failed.TaskId, `$failed.TaskState | Set-Content -LiteralPath '$flag.part'
            Move-Item -LiteralPath '$flag.part' -Destination '$flag'
"@
        $done, $doneState, $failed, $failedState = Read-FromOwner $flag
        $doneState | Should -Be 'Completed'
        $failedState | Should -Be 'Failed'

        # Seen here for the first time, both have ended.
        $jobs = Get-ClaudeTask -TaskId $done, $failed

        $jobs[0].State | Should -Be 'Completed'
        $jobs[1].State | Should -Be 'Failed'
        ($jobs[0] | Receive-Job -Wait).Result | Should -BeExactly 'done elsewhere'
        $waited = $jobs[1] | Wait-Job -Timeout 5
        [object]::ReferenceEquals($waited.psobject.BaseObject, $jobs[1].psobject.BaseObject) | Should -BeTrue
    }

    It 'waits for and receives another process''s task by its task id' {
        $flag = Join-Path $sandbox.Root 'started'
        $owner = Start-Owner @"
            (Start-ClaudeTask "fake:sleep 3000``nfake:text waited for").TaskId | Set-Content -LiteralPath '$flag.part'
            Move-Item -LiteralPath '$flag.part' -Destination '$flag'
"@
        $id = Read-FromOwner $flag

        $result = Wait-ClaudeTask -TaskId $id | Receive-ClaudeTask

        $result.Result | Should -BeExactly 'waited for'
    }

    It 'stops another process''s task and its child' {
        $owner = Start-Owner "Start-ClaudeTask 'fake:sleep 30000' -Name long | Out-Null"
        Wait-Until { @(Get-ClaudeTask -Name long -State Running -ErrorAction Ignore).Count -eq 1 } 'the other session''s task to run'
        $task = Get-ClaudeTask -Name long
        $child = $task.ProcessId
        Test-ProcessAlive $child | Should -BeTrue

        $stopped = Stop-ClaudeTask -TaskId $task.TaskId -PassThru

        $stopped.TaskState | Should -Be 'Cancelled'
        Wait-Until { -not (Test-ProcessAlive $child) } 'the other session''s child to end'
    }

    It 'lets another runspace of this process stop a task, and the first runspace''s job hears of it' {
        $started = Start-ClaudeTask 'fake:sleep 30000' -Name shared
        $child = $started.ProcessId
        $child | Should -Not -BeNullOrEmpty

        $second = New-ModulePowerShell $sandbox.State
        try {
            $seen = $second.AddScript('Get-ClaudeTask -Name shared | Stop-ClaudeTask -PassThru').Invoke()
            $second.Streams.Error | Should -BeNullOrEmpty
        } finally {
            $second.Runspace.Dispose()
            $second.Dispose()
        }

        $seen[-1].TaskState | Should -Be 'Cancelled'
        [object]::ReferenceEquals($seen[-1].psobject.BaseObject, $started.psobject.BaseObject) | Should -BeFalse -Because 'each runspace has jobs of its own'
        Wait-Until { -not (Test-ProcessAlive $child) } 'the child to end'
        # The first runspace's job hears of the stop from an engine event, on an engine thread.
        $started | Wait-Job -Timeout 60 | Out-Null
        $started.State | Should -Be 'Stopped'
    }
}
