# Identity as PowerShell's job cmdlets have it: -Id is the job id (the Id column), -TaskId the task's own id,
# -Name takes wildcards; Get-ClaudeTask lists the store without adding it to Get-Job.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $state = Import-TestModule -WithStore
}

AfterAll {
    Remove-TestModule
}

Describe 'Finding tasks' {
    It 'takes the Id column, the job id, with -Id, as Get-Job does' {
        $task = Start-ClaudeTask 'by job id' | Wait-Job
        $task.Id | Should -BeOfType [int]

        Get-ClaudeTask -Id $task.Id | Should -Be $task
        Get-ClaudeTask $task.Id | Should -Be $task
        Get-Job -Id $task.Id | Should -Be $task
        Wait-ClaudeTask -Id $task.Id | Should -Be $task
        (Receive-ClaudeTask -Id $task.Id).Result | Should -Be 'by job id'
        Stop-ClaudeTask -Id $task.Id -PassThru | Should -Be $task
    }

    It 'takes the task''s own id with -TaskId, by position, and from the task_id of piped MCP records' {
        $task = Start-ClaudeTask 'by task id' | Wait-Job
        $record = ConvertFrom-Json "{`"task_id`": `"$($task.TaskId)`", `"status`": `"completed`"}"

        Get-ClaudeTask -TaskId $task.TaskId | Should -Be $task
        Get-ClaudeTask -task_id $task.TaskId | Should -Be $task
        (Receive-ClaudeTask $task.TaskId).Result | Should -Be 'by task id'
        $record | Get-ClaudeTask | Should -Be $task
        ($record | Receive-ClaudeTask).Result | Should -Be 'by task id'
        ($task | Receive-ClaudeTask | Receive-ClaudeTask).Result | Should -Be 'by task id'  # a result's TaskId binds too
    }

    It 'takes wildcards in -Name' {
        'one', 'two' | ForEach-Object { Start-ClaudeTask "batch $_" -Name "batch-$_" } | Wait-Job | Out-Null
        Start-ClaudeTask 'other' -Name 'other' | Wait-Job | Out-Null

        (Get-ClaudeTask -Name 'batch-*').Name | Sort-Object | Should -Be 'batch-one', 'batch-two'
        (Get-ClaudeTask 'BATCH-T*').Name | Should -Be 'batch-two'
        (Receive-ClaudeTask -Name 'batch-*').Result | Sort-Object | Should -Be 'batch one', 'batch two'
        (Wait-ClaudeTask -Name 'other').Name | Should -Be 'other'
    }

    It 'says what to do when an id or a name matches nothing' {
        Get-ClaudeTask -Id 987654 -ErrorAction SilentlyContinue -ErrorVariable byId | Should -BeNullOrEmpty
        $byId[0].FullyQualifiedErrorId | Should -Be 'JobNotFound,ClaudeCodeMcp.Commands.GetClaudeTaskCommand'
        $byId[0].Exception.Message | Should -BeLike '*job id 987654*-TaskId*'

        Stop-ClaudeTask -TaskId zzzzzzzz -ErrorAction SilentlyContinue -ErrorVariable byTaskId
        $byTaskId[0].FullyQualifiedErrorId | Should -Be 'TaskNotFound,ClaudeCodeMcp.Commands.StopClaudeTaskCommand'

        Receive-ClaudeTask -Name 'no such name' -ErrorAction SilentlyContinue -ErrorVariable byName
        $byName[0].FullyQualifiedErrorId | Should -Be 'TaskNotFound,ClaudeCodeMcp.Commands.ReceiveClaudeTaskCommand'
        $byName[0].Exception.Message | Should -BeLike "*no task named 'no such name'*Get-ClaudeTask*"

        { Get-ClaudeTask -Id k7m2p9qx -ErrorAction Stop } | Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,ClaudeCodeMcp.Commands.GetClaudeTaskCommand'
    }

    It 'completes job ids and task ids with TabExpansion2' {
        $task = Start-ClaudeTask 'complete me' -Name 'completion' | Wait-Job
        $line = 'Receive-ClaudeTask -Id '
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Contain ([string]$task.Id)
        $line = "Stop-ClaudeTask -StateDirectory '$state' -TaskId $($task.TaskId.Substring(0, 4))"
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Contain $task.TaskId
    }
}

Describe 'Get-Job shows the tasks this session started or used' {
    BeforeAll {
        # Another session starts three tasks that finish and one that runs until this test stops it.
        $other = Start-OtherPwsh -StateDirectory $state -Script @'
            1..3 | ForEach-Object { Start-ClaudeTask "foreign $_" -Name "foreign-$_" } | Wait-ClaudeTask | Out-Null
            Start-ClaudeTask 'fake:sleep 120000' -Name 'foreign-running' | Out-Null
            'ready'
            [Console]::In.ReadLine() | Out-Null   # until this test ends
'@
        Wait-Until { @(Get-ClaudeTask -Name 'foreign-runnin*' -State Running).Count -eq 1 } 'the other session''s tasks'
    }

    AfterAll {
        Stop-OtherPwsh $other
    }

    It 'lists the other session''s tasks without adding them to Get-Job' {
        $listed = Get-ClaudeTask -Name 'foreign-*'

        $listed.Count | Should -Be 4
        Get-Job | Where-Object Name -like 'foreign-*' | Should -BeNullOrEmpty
        # Listed again, a task is the same object, with the same job id.
        (Get-ClaudeTask -Name 'foreign-1').Id | Should -Be ($listed | Where-Object Name -eq 'foreign-1').Id
    }

    It 'adds a task to Get-Job once this session uses it' {
        Get-ClaudeTask -Name 'foreign-2' | Wait-ClaudeTask | Out-Null
        Receive-ClaudeTask -Name 'foreign-3' | Out-Null

        (Get-Job | Where-Object Name -like 'foreign-*').Name | Sort-Object | Should -Be 'foreign-2', 'foreign-3'
    }

    It 'keeps a listed task of another process current, so Wait-Job sees it end, with one loop for the whole store' {
        $running = Get-ClaudeTask -Name 'foreign-running'
        $running.State | Should -Be 'Running'
        # However many jobs follow other processes' tasks, one loop of the store's engine keeps them current.
        $following = Get-ForeignFollowing $state
        $following.Tasks | Should -Be 1
        $following.Loops | Should -Be 1

        Start-ClaudeTask 'unrelated' | Wait-Job | Out-Null   # this session's own work goes on meanwhile
        $stopper = Start-OtherPwsh -StateDirectory $state -Script "Stop-ClaudeTask -TaskId $($running.TaskId)"
        try {
            $running | Wait-Job -Timeout 60 | Should -Be $running
            $running.State | Should -Be 'Stopped'
            $running.TaskState | Should -Be 'Cancelled'
            Wait-Until { (Get-ForeignFollowing $state).Loops -eq 0 } 'the loop to end with the last task it followed'
        } finally {
            Stop-OtherPwsh $stopper
        }
    }
}
