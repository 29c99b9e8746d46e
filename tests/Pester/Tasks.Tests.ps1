# Get, Wait, Receive, Stop and Remove-ClaudeTask on this session's tasks, with their parameter sets and -WhatIf/-Confirm.
# Each test starts with an empty store and job table; any error a command writes fails the test unless it expects one.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $ErrorActionPreference = 'Stop'
    $work = New-TestFolder 'work'
    Import-TestModule
    Push-Location $work
}

AfterAll {
    Pop-Location
    Remove-TestModule
}

Describe 'Task cmdlets' {
    BeforeEach {
        $state = Use-NewTaskStore
    }

    AfterEach {
        Clear-TestTasks
    }

    Context 'Get-ClaudeTask' {
        It 'lists newest first and filters by task id, name and state' {
            Start-ClaudeTask 'one' -Name alpha | Wait-Job | Out-Null
            $started = Start-ClaudeTask 'fake:sleep 30000' -Name beta

            (Get-ClaudeTask).Name | Should -BeExactly 'beta', 'alpha'
            Get-ClaudeTask -TaskId $started.TaskId | Should -Be $started
            (Get-ClaudeTask -Name 'al*').Name | Should -BeExactly 'alpha'
            (Get-ClaudeTask -State Running).Name | Should -BeExactly 'beta'
            (Get-ClaudeTask -State Completed, Failed).Name | Should -BeExactly 'alpha'
        }

        It 'takes the wire names of states too, and refuses others naming the valid ones' {
            Start-ClaudeTask 'fake:sleep 30000' -Timeout 0.3 -Name late | Wait-Job | Out-Null
            Start-ClaudeTask 'fine' -Name fine | Wait-Job | Out-Null

            (Get-ClaudeTask -State timed_out).Name | Should -BeExactly 'late'
            (Get-ClaudeTask -State 'completed', 'TIMED_OUT').Name | Sort-Object | Should -BeExactly 'fine', 'late'
            (Get-ClaudeTask -State TimedOut).Name | Should -BeExactly 'late'
            { Get-ClaudeTask -State sleeping } | Should -Throw -ExpectedMessage "*'sleeping' is not a task state*timed_out*"
        }

        It 'reports unknown task ids and names as ObjectNotFound, and a malformed id as InvalidArgument' {
            $found = @(
                Get-ClaudeTask -TaskId abcdefgh -ErrorAction SilentlyContinue -ErrorVariable +errors
                Get-ClaudeTask -Name nothing -ErrorAction SilentlyContinue -ErrorVariable +errors
                Get-ClaudeTask -TaskId 'not an id' -ErrorAction SilentlyContinue -ErrorVariable +errors
            )

            $found | Should -BeNullOrEmpty
            $errors | Should -HaveCount 3
            $errors[0].FullyQualifiedErrorId | Should -BeExactly 'TaskNotFound,ClaudeCodeMcp.Commands.GetClaudeTaskCommand'
            $errors[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
            $errors[0].Exception.Message | Should -BeLikeExactly '*Get-ClaudeTask*'
            $errors[1].FullyQualifiedErrorId | Should -BeExactly 'TaskNotFound,ClaudeCodeMcp.Commands.GetClaudeTaskCommand'
            $errors[2].FullyQualifiedErrorId | Should -BeExactly 'InvalidTaskId,ClaudeCodeMcp.Commands.GetClaudeTaskCommand'
            $errors[2].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        }
    }

    Context 'Wait-ClaudeTask' {
        It 'returns the tasks when all have finished' {
            $tasks = 'fake:sleep 300', 'fake:sleep 100' | Start-ClaudeTask | Wait-ClaudeTask

            $tasks | Should -HaveCount 2
            $tasks.TaskState | ForEach-Object ToString | Should -BeExactly 'Completed', 'Completed'
        }

        It 'with -Any returns when one has finished' {
            $slow = Start-ClaudeTask 'fake:sleep 30000' -Name slow
            $fast = Start-ClaudeTask 'fake:sleep 100' -Name fast

            $tasks = $slow, $fast | Wait-ClaudeTask -Any

            $tasks | Should -HaveCount 1
            $tasks.Name | Should -BeExactly 'fast'
        }

        It 'with -Timeout returns only the finished tasks once the time is up' {
            $clock = [Diagnostics.Stopwatch]::StartNew()

            $tasks = Start-ClaudeTask 'fake:sleep 30000' | Wait-ClaudeTask -Timeout 1

            $tasks | Should -BeNullOrEmpty
            $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.9
            $clock.Elapsed.TotalSeconds | Should -BeLessOrEqual 10
        }

        It 'takes task ids' {
            $id = (Start-ClaudeTask 'fake:sleep 100').TaskId

            $task = Wait-ClaudeTask -TaskId $id

            $task | Should -HaveCount 1
            $task.TaskId | Should -BeExactly $id
            $task.TaskState.ToString() | Should -BeExactly 'Completed'
        }
    }

    Context 'Receive-ClaudeTask' {
        It 'returns the result every time it is asked' {
            $task = Start-ClaudeTask 'answer' | Wait-ClaudeTask

            $results = @($task | Receive-ClaudeTask; Receive-ClaudeTask -TaskId $task.TaskId)

            $results.Result | Should -BeExactly 'answer', 'answer'
            $results | ForEach-Object { $_.PSObject.TypeNames[0] } | Should -BeExactly 'ClaudeCodeMcp.ClaudeTaskResult', 'ClaudeCodeMcp.ClaudeTaskResult'
        }

        It 'of an unfinished task says to wait, and -Wait waits for the result' {
            $go = Join-Path $work "go-$([guid]::NewGuid().ToString('N'))"
            $task = Start-ClaudeTask "fake:wait-for $go`nfake:sleep 500`nfake:text later"

            $early = $task | Receive-ClaudeTask -ErrorAction SilentlyContinue -ErrorVariable errors
            New-Item -ItemType File -Path $go | Out-Null
            $late = $task | Receive-ClaudeTask -Wait -ErrorAction SilentlyContinue -ErrorVariable +errors

            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeExactly 'TaskNotFinished,ClaudeCodeMcp.Commands.ReceiveClaudeTaskCommand'
            $errors[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ResourceBusy)
            $errors[0].Exception.Message | Should -BeLikeExactly '*Wait-ClaudeTask*'
            $results = @($early) + @($late)
            $results | Should -HaveCount 1
            $results.Result | Should -BeExactly 'later'
        }

        It 'with -Transcript and -Stream shows what the child did' {
            $prompt = "fake:text thinking about it`nfake:tool Bash {`"command`":`"ls`"}`nfake:text finished"
            $transcript = Start-ClaudeTask $prompt | Wait-ClaudeTask | Receive-ClaudeTask -Transcript
            $events = @(Get-ClaudeTask | Receive-ClaudeTask -Stream)

            $transcript | Should -HaveCount 1
            "$transcript" | Should -BeLikeExactly '*thinking about it*'
            "$transcript" | Should -BeLikeExactly '*Bash*'
            "$transcript" | Should -BeLikeExactly '*finished*'
            $events[0].GetType().Name | Should -BeExactly 'InitEvent'
            $events[-1].GetType().Name | Should -BeExactly 'ResultEvent'
            $events | ForEach-Object { $_.GetType().Name } | Should -Contain 'AssistantEvent'
        }
    }

    Context 'Stop-ClaudeTask' {
        It 'stops the child, and -PassThru returns the cancelled task' {
            $job = Start-ClaudeTask 'fake:sleep 30000'
            $child = $job.ProcessId

            $stopped = $job | Stop-ClaudeTask -PassThru

            $stopped | Should -Be $job
            $stopped.TaskState.ToString() | Should -BeExactly 'Cancelled'
            $job.JobStateInfo.State | Should -Be ([System.Management.Automation.JobState]::Stopped)
            Wait-ProcessEnd $child
        }

        It 'stops the running tasks piped from Get-ClaudeTask -State Running, and leaves the finished ones' {
            $jobs = 'fake:sleep 30000', 'fake:sleep 30000' | Start-ClaudeTask
            Start-ClaudeTask 'quick' | Wait-Job | Out-Null

            Get-ClaudeTask -State Running | Stop-ClaudeTask

            Wait-ProcessEnd $jobs.ProcessId
            (Get-ClaudeTask).TaskState | ForEach-Object ToString | Sort-Object | Should -BeExactly 'Cancelled', 'Cancelled', 'Completed'
        }

        It 'finds the tasks to stop by name, with wildcards' {
            $jobs = 1, 2 | ForEach-Object { Start-ClaudeTask 'fake:sleep 30000' -Name "stop-me-$_" }
            $spared = Start-ClaudeTask 'fake:sleep 30000' -Name 'spare-me'

            Stop-ClaudeTask -Name 'stop-me-*'

            Wait-ProcessEnd $jobs.ProcessId
            $jobs.TaskState | ForEach-Object ToString | Should -BeExactly 'Cancelled', 'Cancelled'
            $spared.TaskState.ToString() | Should -BeExactly 'Running'
        }
    }

    Context 'Remove-ClaudeTask' {
        It 'refuses a running task unless -Force, which stops it and forgets it' {
            $job = Start-ClaudeTask 'fake:sleep 30000'
            $child = $job.ProcessId

            $job | Remove-ClaudeTask -ErrorAction SilentlyContinue -ErrorVariable refused

            $refused | Should -HaveCount 1
            $refused[0].FullyQualifiedErrorId | Should -BeExactly 'TaskStillRunning,ClaudeCodeMcp.Commands.RemoveClaudeTaskCommand'
            $refused[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ResourceBusy)
            "$($refused[0])" | Should -BeLikeExactly '*-Force*'   # what PowerShell prints

            $job | Remove-ClaudeTask -Force
            Wait-ProcessEnd $child
            Get-ClaudeTask | Should -BeNullOrEmpty
            Get-Job | Should -BeNullOrEmpty
            Join-Path $state 'tasks' $job.TaskId | Should -Not -Exist
        }

        It 'finds the tasks to remove by job id, task id and name' {
            $byId, $byTaskId, $byName, $kept = 'one', 'two', 'three', 'four' | ForEach-Object { Start-ClaudeTask $_ -Name "remove-$_" } | Wait-Job

            Remove-ClaudeTask -Id $byId.Id
            Remove-ClaudeTask -TaskId $byTaskId.TaskId
            Remove-ClaudeTask -Name 'remove-th*'

            (Get-ClaudeTask).Name | Should -BeExactly 'remove-four'
            (Get-Job).Name | Should -BeExactly 'remove-four'
            foreach ($gone in $byId, $byTaskId, $byName) { Join-Path $state 'tasks' $gone.TaskId | Should -Not -Exist }
        }
    }

    Context '-WhatIf and -Confirm' {
        It 'Stop-ClaudeTask -WhatIf and Remove-ClaudeTask -Force -WhatIf say what they would do, and do nothing' {
            $job = Start-ClaudeTask 'fake:sleep 30000'

            $printed = Get-HostText { $job | Stop-ClaudeTask -WhatIf; Get-ClaudeTask | Remove-ClaudeTask -Force -WhatIf }

            $printed | Should -BeLikeExactly "*What if: Performing the operation `"Stop`" on target `"Claude task $($job.TaskId) (fake:sleep 30000)`"*"
            $printed | Should -BeLikeExactly "*What if: Performing the operation `"Remove`" on target `"Claude task $($job.TaskId) (fake:sleep 30000)`"*"
            $job.TaskState.ToString() | Should -BeExactly 'Running'
            Test-ProcessAlive $job.ProcessId | Should -BeTrue
            Get-ClaudeTask | Should -HaveCount 1
        }

        It 'Stop-ClaudeTask -Confirm and Remove-ClaudeTask -Confirm ask first (a non-interactive session cannot answer), and -Confirm:$false does not' {
            $job = Start-ClaudeTask 'fake:sleep 30000'
            $other = Start-OtherPwsh -StateDirectory $state -Script @"
                Stop-ClaudeTask -TaskId $($job.TaskId) -Confirm
                Remove-ClaudeTask -TaskId $($job.TaskId) -Force -Confirm
                'asked'
"@
            $printed = $other.StandardOutput.ReadToEnd()
            $complaints = $other.StandardError.ReadToEnd()
            Stop-OtherPwsh $other

            $printed | Should -BeLikeExactly '*asked*'
            ([regex]::Matches($complaints, 'NonInteractive mode')).Count | Should -Be 2 -Because "both must have asked:`n$complaints"
            $job.TaskState.ToString() | Should -BeExactly 'Running'
            Test-ProcessAlive $job.ProcessId | Should -BeTrue

            $ConfirmPreference = 'Low'   # would make both ask, but for -Confirm:$false
            $job | Stop-ClaudeTask -Confirm:$false
            $job | Remove-ClaudeTask -Confirm:$false
            $job.TaskState.ToString() | Should -BeExactly 'Cancelled'
            Get-ClaudeTask | Should -BeNullOrEmpty
        }
    }
}
