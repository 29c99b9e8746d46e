# The default table and list views of tasks and results, as real Format-Table, Format-List and Out-String print them
# (at the 160 columns of a wide console, in plain text). Any error a command writes fails the test.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $ErrorActionPreference = 'Stop'
    $work = New-TestFolder 'work'
    Import-TestModule
    $rendering = $PSStyle.OutputRendering
    $PSStyle.OutputRendering = 'PlainText'
    Push-Location $work

    # The non-blank lines of what Out-String prints, without trailing blanks.
    function Get-PrintedLines([Parameter(ValueFromPipeline)] $InputObject) {
        ($input | Out-String -Width 160) -split "`n" | Where-Object { $_ -ne '' } | ForEach-Object TrimEnd
    }
}

AfterAll {
    Pop-Location
    $PSStyle.OutputRendering = $rendering
    Remove-TestModule
}

Describe 'Views' {
    BeforeEach {
        $null = Use-NewTaskStore
    }

    AfterEach {
        Clear-TestTasks
    }

    Context 'Tasks' {
        It 'print as a table of job id, task id, name, state, model, elapsed, cost and prompt that fits 80 columns' {
            $job = Start-ClaudeTask "fake:cost 0.0123`nfake:text done" -Name builder | Wait-Job

            $lines = @(Get-ClaudeTask | Get-PrintedLines)

            $lines[0] | Should -MatchExactly '^\s*Id\s+TaskId\s+Name\s+State\s+Model\s+Elapsed\s+Cost\s+Prompt$'
            $lines[2] | Should -MatchExactly "^\s*$($job.Id)\s+$($job.TaskId)\s+builder\s+completed\s+sonnet-4-5\s+0:0\d\s+\`$0\.0123\s+fake:cost 0\.0123 fake:text done$"
            $narrow = @(Get-ClaudeTask | Out-String -Width 80) -split "`n" | Where-Object { $_.Trim() }
            $narrow[0] | Should -MatchExactly '^\s*Id\s+TaskId\s+Name\s+State\s+Model\s+Elapsed\s+Cost\s+Prompt$' -Because "an 80-column terminal shows every column on one line:`n$($narrow -join "`n")"
            $narrow[2] | Should -MatchExactly "\`$0\.0123\s+fake:cost 0\.01"
            (Receive-Job -Id $job.Id).Result | Should -BeExactly 'done'
        }

        It 'print with the same table from Get-Job' {
            Start-ClaudeTask 'fake:sleep 30000' | Out-Null

            Get-Job | Out-String -Width 160 | Should -MatchExactly 'running\s+\S*\s+0:0\d\s+fake:sleep 30000'
        }
    }

    Context 'Results' {
        It 'print as a table of task id, state, cost, turns and result' {
            $lines = @(Invoke-ClaudeCode "fake:cost 0.5`nfake:text the answer" | Get-PrintedLines)

            $lines[0] | Should -MatchExactly '^TaskId\s+State\s+Cost\s+Turns\s+Result$'
            $lines[2] | Should -MatchExactly '^[a-z2-9]{8}\s+completed\s+\$0\.5000\s+\d+\s+the answer$'
        }
    }

    Context 'Lists' {
        It 'show a task''s and its result''s details with Format-List: the state by its wire name, and why it did not complete' {
            $task = Start-ClaudeTask 'fake:sleep 30000' -Name 'too-slow' -Timeout 0.5 | Wait-Job

            $taskList = $task | Format-List | Out-String -Width 160
            $resultList = $task | Receive-ClaudeTask -ErrorAction SilentlyContinue | Format-List | Out-String -Width 160

            $taskList | Should -MatchExactly "(?m)^TaskId\s+: $($task.TaskId)$"
            $taskList | Should -MatchExactly '(?m)^Name\s+: too-slow$'
            $taskList | Should -MatchExactly '(?m)^State\s+: timed_out$'
            $taskList | Should -MatchExactly '(?m)^JobState\s+: Failed$'
            $taskList | Should -MatchExactly '(?m)^Reason\s+: .*timeout of 0\.5 s'
            $resultList | Should -MatchExactly '(?m)^State\s+: timed_out$'
            $resultList | Should -MatchExactly '(?m)^Error\s+: .*timeout of 0\.5 s'
            $resultList | Should -MatchExactly '(?m)^Duration\s+: 00:00:\d\d\.\d+$'
        }
    }

    Context 'The format file' {
        It 'has a table and a list view for tasks and results, whose every item reads a real property or runs cleanly' {
            $result = Invoke-ClaudeCode "fake:cost 0.1`nfake:text ok"
            $byType = @{}
            foreach ($object in @(Get-ClaudeTask) + @($result)) { $byType.Add($object.PSObject.TypeNames[0], $object) }
            $format = [xml](Get-Content -Raw (Join-Path (Get-Module ClaudeCodeMcp).ModuleBase 'ClaudeCodeMcp.Format.ps1xml'))
            $views = @($format.SelectNodes('//View'))

            $views | Should -HaveCount 4
            $views | Where-Object { $_.SelectSingleNode('TableControl') } | Should -HaveCount 2
            $views | Where-Object { $_.SelectSingleNode('ListControl') } | Should -HaveCount 2
            foreach ($view in $views) {
                $target = $byType[$view.SelectSingleNode('ViewSelectedBy/TypeName').InnerText]
                foreach ($property in $view.SelectNodes('.//PropertyName').InnerText) {
                    $target.PSObject.Properties[$property] | Should -Not -BeNullOrEmpty -Because "$($target.PSObject.TypeNames[0]) must have a property $property"
                }
                foreach ($item in $view.SelectNodes('.//ScriptBlock').InnerText) {
                    $written = $target | ForEach-Object ([scriptblock]::Create($item)) 2>&1
                    $written | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Should -BeNullOrEmpty -Because "the item { $item } must run cleanly"
                }
            }
        }
    }
}
