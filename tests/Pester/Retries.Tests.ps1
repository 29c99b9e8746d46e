# -MaxRetries through the cmdlets: a task whose child ends on a rate limit runs again on its session, its result counts
# the attempts and adds up the runs' tokens and cost; while it waits it is Queued and says until when; Stop-ClaudeTask
# ends the wait; a refused key is never retried; more than ten retries are refused. The fake claude's
# `fake:fail-runs <n> <status> [delay ms]` fails a session's first n runs as the real CLI does.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $state = Import-TestModule -WithStore
    $work = New-TestFolder 'work'
}

AfterAll {
    Remove-TestModule
}

Describe 'A task with -MaxRetries' {
    It 'runs again after a rate limit and its result counts two attempts, with the usage and cost of both runs' {
        $result = Invoke-ClaudeCode "fake:fail-runs 1 429 50`nfake:result done at last" -WorkingDirectory $work -MaxRetries 2

        $result.State | Should -Be 'Completed'
        $result.Result | Should -Be 'done at last'
        $result.Attempts | Should -Be 2
        $result.Usage.InputTokens | Should -Be 20
        $result.CostUsd | Should -Be 0.0246
    }

    It 'is Queued while it waits, says until when, and Stop-ClaudeTask ends the wait' {
        $task = Start-ClaudeTask "fake:fail-runs 1 529 600000`nfake:result never" -WorkingDirectory $work -MaxRetries 1
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        do {
            Start-Sleep -Milliseconds 100
            $now = Get-ClaudeTask -TaskId $task.TaskId
        } until ($now.TaskState -eq 'Queued' -and $now.Activity -like '*UTC*' -or [DateTime]::UtcNow -gt $deadline)

        $now.TaskState | Should -Be 'Queued'
        $now.Activity | Should -Match '^waiting until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC to run again \(run 2 of at most 2\): the Claude API answered HTTP 529'

        $task | Stop-ClaudeTask
        $result = $task | Receive-ClaudeTask -Wait -ErrorAction SilentlyContinue
        $result.State | Should -Be 'Cancelled'
        $result.Attempts | Should -Be 1
    }

    It 'does not retry a refused API key' {
        $result = Invoke-ClaudeCode 'fake:api-error 401 invalid x-api-key' -WorkingDirectory $work -MaxRetries 3 -ErrorAction SilentlyContinue

        $result.State | Should -Be 'Failed'
        $result.Attempts | Should -Be 1
    }

    It 'refuses more than ten retries, saying the limits' {
        { Start-ClaudeTask 'fake:result never' -WorkingDirectory $work -MaxRetries 11 -ErrorAction Stop } | Should -Throw '*at least 0 and at most 10*'
    }
}
