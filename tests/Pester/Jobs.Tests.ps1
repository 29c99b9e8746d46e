# Tasks are PowerShell jobs: Get-Job, Wait-Job, Receive-Job, Stop-Job and Remove-Job work on them.
# Each test starts with an empty store and job table; any error a command writes fails the test.

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

Describe 'Tasks are jobs' {
    BeforeEach {
        $state = Use-NewTaskStore
    }

    AfterEach {
        Clear-TestTasks
    }

    Context 'A started task is a job' {
        It 'is a running job the moment Start-ClaudeTask returns' {
            $job = Start-ClaudeTask 'fake:sleep 30000' -Name sleeper

            $job | Should -BeOfType [System.Management.Automation.Job2]
            $job.PSJobTypeName | Should -BeExactly 'ClaudeTask'
            $job.Name | Should -BeExactly 'sleeper'
            $job.TaskId | Should -MatchExactly '^[a-z2-9]{8}$'
            $job.JobStateInfo.State | Should -Be ([System.Management.Automation.JobState]::Running)
            $job.TaskState.ToString() | Should -BeExactly 'Running'
            Test-ProcessAlive $job.ProcessId | Should -BeTrue
        }

        It 'is found by Get-Job by name, id, instance id and state' {
            $job = Start-ClaudeTask 'fake:sleep 30000' -Name 'finder-one'

            Get-Job -Name 'finder-*' | Should -Be $job
            Get-Job -Id $job.Id | Should -Be $job
            Get-Job -InstanceId $job.InstanceId | Should -Be $job
            Get-Job -State Running | Should -Be $job
            Get-Job -State Completed | Should -BeNullOrEmpty
        }
    }

    Context 'Receive-Job' {
        It 'yields the result objects of a task' {
            $result = Start-ClaudeTask "fake:cost 0.25`nfake:text all done" | Wait-Job | Receive-Job

            $result | Should -HaveCount 1
            $result.PSObject.TypeNames[0] | Should -BeExactly 'ClaudeCodeMcp.ClaudeTaskResult'
            $result.Result | Should -BeExactly 'all done'
            $result.State | Should -BeExactly 'Completed'
            $result.CostUsd | Should -BeOfType [double]
            $result.CostUsd | Should -Be 0.25
            $result.SessionId | Should -Not -BeNullOrEmpty
            $result.WorkingDirectory | Should -BeExactly $work
        }

        It 'with -Wait -AutoRemoveJob returns the result and forgets the job, not the task' {
            $task = Start-ClaudeTask 'fake:sleep 200'

            $result = $task | Receive-Job -Wait -AutoRemoveJob

            $result.Result | Should -BeExactly 'done'
            Get-Job | Should -BeNullOrEmpty
            Get-ClaudeTask | Should -HaveCount 1
            (Get-ClaudeTask).TaskState.ToString() | Should -BeExactly 'Completed'
        }

        It 'with -Keep leaves the result for the next receive' {
            $task = Start-ClaudeTask 'hi' | Wait-Job

            ($task | Receive-Job -Keep).Result | Should -BeExactly 'hi'
            $task.HasMoreData | Should -BeTrue
            ($task | Receive-Job).Result | Should -BeExactly 'hi'
            $task.HasMoreData | Should -BeFalse
        }
    }

    Context 'Wait-Job' {
        It 'with -Any and -Timeout returns the first task to finish, long before the timeout' {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $slow = Start-ClaudeTask 'fake:sleep 30000' -Name slow
            $fast = Start-ClaudeTask 'fake:sleep 100' -Name fast

            $finished = Wait-Job -Job $slow, $fast -Any -Timeout 20

            $finished | Should -HaveCount 1
            $finished.Name | Should -BeExactly 'fast'
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
        }
    }

    Context 'Stop-Job and Remove-Job' {
        It 'Stop-Job stops the child and the job is Stopped' {
            $job = Start-ClaudeTask 'fake:sleep 30000'
            $child = $job.ProcessId

            $job | Stop-Job

            $job.JobStateInfo.State | Should -Be ([System.Management.Automation.JobState]::Stopped)
            $job.TaskState.ToString() | Should -BeExactly 'Cancelled'
            Wait-ProcessEnd $child
        }

        It 'Remove-Job -Force stops a running task and forgets the job but not the task' {
            $job = Start-ClaudeTask 'fake:sleep 30000'
            $child = $job.ProcessId

            $job | Remove-Job -Force

            Wait-ProcessEnd $child
            Get-Job | Should -BeNullOrEmpty
            Get-ClaudeTask | Should -HaveCount 1
            (Get-ClaudeTask).TaskState.ToString() | Should -BeExactly 'Cancelled'
        }

        It 'Remove-Job and -AutoRemoveJob forget the job in this session only; the tasks and their results stay' {
            $a = Start-ClaudeTask 'kept one' | Wait-Job
            $b = Start-ClaudeTask 'kept two'
            $b | Receive-Job -Wait -AutoRemoveJob | Out-Null
            Get-Job | Remove-Job

            Get-Job | Should -BeNullOrEmpty
            foreach ($id in $a.TaskId, $b.TaskId) {
                Join-Path $state 'tasks' $id | Should -Exist -Because "the state of $id must not be deleted"
            }
            (Get-ClaudeTask | Receive-ClaudeTask).Result | Sort-Object | Should -BeExactly 'kept one', 'kept two'
        }
    }

    Context 'Tasks that do not complete' {
        It 'a failed task is a Failed job whose JobStateInfo.Reason says why' {
            $reason = (Start-ClaudeTask 'fake:api-error 529 Overloaded' | Wait-Job).JobStateInfo.Reason.Message

            $reason | Should -BeLikeExactly '*529*'
            $reason | Should -BeLikeExactly '*Overloaded*'
        }

        It 'a failed task is a Failed job whose error, written by Receive-Job, says why' {
            $result = Start-ClaudeTask 'fake:api-error 529 Overloaded' | Wait-Job |
                Receive-Job -ErrorAction SilentlyContinue -ErrorVariable errors

            Get-Job | Should -HaveCount 1
            (Get-Job).JobStateInfo.State | Should -Be ([System.Management.Automation.JobState]::Failed)
            $result | Should -HaveCount 1
            $result.State | Should -BeExactly 'Failed'
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'JobStateFailed*'
            $errors[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidResult)
            $errors[0].Exception.Message | Should -BeLikeExactly '*529*'
            $errors[0].Exception.Message | Should -BeLikeExactly '*Overloaded*'
        }

        It 'a timed-out task is a Failed job whose error says it timed out' {
            $result = Start-ClaudeTask 'fake:sleep 30000' -Timeout 0.5 | Wait-Job |
                Receive-Job -ErrorAction SilentlyContinue -ErrorVariable errors

            $result | Should -HaveCount 1
            $result.State | Should -BeExactly 'TimedOut'
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'JobStateFailed*'
            $errors[0].Exception.Message | Should -BeLikeExactly '*timed_out*'
        }
    }

    Context 'Queued tasks' {
        It 'a queued task is a NotStarted job until a slot frees up' {
            $first, $second = 'fake:sleep 30000', 'second' | Start-ClaudeTask -ThrottleLimit 1

            $second.JobStateInfo.State | Should -Be ([System.Management.Automation.JobState]::NotStarted)
            $second.TaskState.ToString() | Should -BeExactly 'Queued'

            $first | Stop-Job
            $second | Wait-Job -Timeout 30 | Out-Null
            $second.JobStateInfo.State | Should -Be ([System.Management.Automation.JobState]::Completed)
        }

        It 'Start-ClaudeTask -ThrottleLimit limits only the tasks of that call' {
            $limited = 'fake:sleep 30000', 'fake:sleep 30000' | Start-ClaudeTask -ThrottleLimit 1
            $others = 1..3 | ForEach-Object { Start-ClaudeTask 'fake:sleep 30000' }

            $limited.TaskState | ForEach-Object ToString | Should -BeExactly 'Running', 'Queued'
            $others.TaskState | ForEach-Object ToString | Should -BeExactly 'Running', 'Running', 'Running'
        }
    }
}
