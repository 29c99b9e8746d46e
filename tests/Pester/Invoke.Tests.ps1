# Invoke-ClaudeCode: blocks until each prompt is done, runs piped prompts in parallel up to -ThrottleLimit, streams
# results as they finish, and stops its children however the call ends (an error downstream, Ctrl+C).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-TestModule
}

AfterAll {
    Remove-TestModule
}

Describe 'Running prompts to their end' {
    BeforeEach {
        # Each test has a store and a location of its own, as a fresh session would.
        $sandbox = Enter-TestSandbox 'invoke'
    }

    AfterEach {
        Exit-TestSandbox $sandbox
    }

    Context 'Invoke-ClaudeCode' {
        It 'blocks and returns the result object, which reads as its text' {
            $result = Invoke-ClaudeCode 'what is 2+2'

            @($result).Count | Should -Be 1
            $result.pstypenames[0] | Should -Be 'ClaudeCodeMcp.ClaudeTaskResult'
            $result.Result | Should -Be 'what is 2+2'
            "$result" | Should -Be 'what is 2+2'
        }

        It 'runs piped prompts in parallel and streams each result out as it finishes' {
            $results = "fake:sleep 1500`nfake:text slow", "fake:sleep 100`nfake:text fast", "fake:sleep 700`nfake:text middle" |
                Invoke-ClaudeCode -ThrottleLimit 4

            $results.Result | Sort-Object | Should -Be 'fast', 'middle', 'slow'
            # Streamed as each finished (not in the order given), and in parallel: the prompts after the slow one started
            # before it ended. (By the records' times, not the clock: on a busy machine the children start late.)
            $ended = $results.EndedAt
            $ended | Should -Be ($ended | Sort-Object)
            $slowEnded = ($results | Where-Object Result -eq 'slow').EndedAt
            foreach ($result in $results) {
                $result.StartedAt | Should -BeLessThan $slowEnded -Because "$($result.Result) started before the slow prompt ended"
            }
        }

        It 'runs one at a time with -ThrottleLimit 1' {
            $prompts = 0..3 | ForEach-Object { "fake:report $(Join-Path $sandbox.Root "report$_.json")`nfake:sleep 400" }

            $results = $prompts | Invoke-ClaudeCode -ThrottleLimit 1

            # With one at a time, each task starts after the one before it ended.
            $results.Count | Should -Be 4
            for ($i = 1; $i -lt $results.Count; $i++) {
                $results[$i].StartedAt | Should -Not -BeLessThan $results[$i - 1].EndedAt -Because 'two tasks of a -ThrottleLimit 1 call must not overlap'
            }
        }

        It 'runs as many as a -ThrottleLimit above the process''s limit asks, and leaves the process''s limit alone' {
            $prompts = 0..5 | ForEach-Object { "fake:sleep 1500`nfake:text $_" }

            $results = $prompts | Invoke-ClaudeCode -ThrottleLimit 6 -WarningVariable warnings

            # All six ran at once: each started before any ended (the process's own limit is 4).
            $results.Count | Should -Be 6
            $warnings | Should -BeNullOrEmpty
            $lastStart = ($results.StartedAt | Measure-Object -Maximum).Maximum
            $firstEnd = ($results.EndedAt | Measure-Object -Minimum).Minimum
            $lastStart | Should -BeLessThan $firstEnd -Because 'all six should run at once'
            $queued = 1..5 | ForEach-Object { Start-ClaudeTask 'fake:sleep 30000' } | Where-Object TaskState -eq Queued
            @($queued).Count | Should -Be 1
        }

        It 'runs several prompts given in one argument as one task each' {
            $results = Invoke-ClaudeCode 'first', 'second'
            $tasks = Start-ClaudeTask 'third', 'fourth' | Wait-ClaudeTask | Receive-ClaudeTask

            $results.Result | Sort-Object | Should -Be 'first', 'second'
            $tasks.Result | Sort-Object | Should -Be 'fourth', 'third'
            @(Get-ClaudeTask).Count | Should -Be 4
        }

        It 'stops the children it started when an error downstream ends the pipeline' {
            { 'quick', 'fake:sleep 8000', 'fake:sleep 8000' | Invoke-ClaudeCode | ForEach-Object { throw 'x' } } |
                Should -Throw -ExpectedMessage 'x'

            Wait-Until { -not (Get-ProcessIn $sandbox.Work) } 'the children to end'
            (Get-ClaudeTask).TaskState | ForEach-Object ToString | Sort-Object | Should -Be 'Cancelled', 'Cancelled', 'Completed'
            Assert-NoFollowersLeft $sandbox.State
        }

        It 'writes a failed prompt''s result and an error, and the rest go on' {
            $results = 'fake:api-error 500 boom', 'fine' | Invoke-ClaudeCode -ErrorVariable failures -ErrorAction SilentlyContinue

            $results.State | Sort-Object | Should -Be 'Completed', 'Failed'
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'TaskFailed,ClaudeCodeMcp.Commands.InvokeClaudeCodeCommand'
            $failures[0].Exception.Message | Should -BeLike '*boom*'
        }

        It 'writes the command line and the activity to the verbose stream' {
            $out = Invoke-ClaudeCode "fake:tool-start Bash`nfake:sleep 1200`nfake:text ok" -Model sonnet -Verbose 4>&1
            $verbose = $out | Where-Object { $_ -is [Management.Automation.VerboseRecord] } | ForEach-Object Message

            $verbose | Where-Object { $_.Contains((Get-TestClaudePath)) -and $_.Contains('--model=sonnet') } | Should -Not -BeNullOrEmpty
            $verbose | Where-Object { $_.Contains('running Bash') } | Should -Not -BeNullOrEmpty
            ($out | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }).Result | Should -Be 'ok'
        }

        It 'shows a progress bar that ends completed' {
            # Progress cannot be redirected in a script: a second runspace of this pwsh collects it.
            $shell = New-ModulePowerShell $sandbox.State
            try {
                $null = $shell.AddScript("Invoke-ClaudeCode `"fake:tool-start Bash``nfake:sleep 1200``nfake:text ok`" -Model sonnet").Invoke()
                $shell.Streams.Error | Should -BeNullOrEmpty
                $shell.Streams.Progress | Should -Not -BeNullOrEmpty
                $shell.Streams.Progress[-1].RecordType | Should -Be 'Completed'
            } finally {
                $shell.Runspace.Dispose()
                $shell.Dispose()
            }
        }
    }

    Context 'Wait-ClaudeTask' {
        It 'shows a progress bar counting the finished tasks, and ends it completed at 100%' {
            $shell = New-ModulePowerShell $sandbox.State
            try {
                $waited = $shell.AddScript("'fake:sleep 1200', 'fake:sleep 100' | Start-ClaudeTask | Wait-ClaudeTask").Invoke()
                $progress = $shell.Streams.Progress

                $shell.Streams.Error | Should -BeNullOrEmpty
                $waited.Count | Should -Be 2
                $progress | Where-Object StatusDescription -like '*of 2 finished*' | Should -Not -BeNullOrEmpty
                $progress[-1].RecordType | Should -Be 'Completed'
                $progress[-1].StatusDescription | Should -Be '2 of 2 finished'
                $progress[-1].PercentComplete | Should -Be 100
            } finally {
                $shell.Runspace.Dispose()
                $shell.Dispose()
            }
        }
    }

    Context 'Ctrl+C in a terminal running Invoke-ClaudeCode' {
        It 'stops the children, records them cancelled, and the session goes on' {
            $session = Start-PwshSession -StateDirectory $sandbox.State -Location $sandbox.Work
            try {
                Send-PwshSession $session "'fake:sleep 30000', 'fake:sleep 30000' | Invoke-ClaudeCode -Verbose"
                Wait-Until { @(Get-ProcessIn $sandbox.Work).Count -eq 2 } 'the two children'
                $children = Get-ProcessIn $sandbox.Work

                $clock = [Diagnostics.Stopwatch]::StartNew()
                Send-Signal $session.Id INT

                Wait-Until { -not ($children | Where-Object { Test-ProcessAlive $_ }) } 'the children to end after Ctrl+C'
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 10 -Because 'Ctrl+C should stop the children promptly'
                # The owner writes the records once it has seen its children exit: on a loaded machine a moment after they are gone.
                Wait-Until { ((Get-ClaudeTask).TaskState -join ',') -eq 'Cancelled,Cancelled' } 'the tasks recorded cancelled'
                (Get-ClaudeTask).TaskState | Should -Be 'Cancelled', 'Cancelled'
                # The session is still there, and follows no task any more.
                Read-PwshSession $session "(Get-ClaudeTask).TaskState -join ','" | Should -Be 'Cancelled,Cancelled'
                Read-PwshSession $session "`$(Assert-NoFollowersLeft '$($sandbox.State)'; Get-FollowedTaskCount '$($sandbox.State)')" | Should -Be '0'
            } finally {
                Stop-OtherPwsh $session
            }
            $session.ExitCode | Should -Be 0 -Because 'the session ended when its input closed, not with the Ctrl+C'
        }
    }
}
