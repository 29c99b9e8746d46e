# What happens to tasks when the module is removed or the session ends, as about_ClaudeCodeMcp says.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $state = Import-TestModule -WithStore
}

AfterAll {
    Remove-TestModule
}

Describe 'about_ClaudeCodeMcp says one thing about the end of a session, and it is true' {
    It 'says removing the module leaves tasks running, and nowhere that it stops them' {
        $about = (Get-Help about_ClaudeCodeMcp | Out-String) -replace '\s+', ' '
        $about | Should -BeLike '*Removing or re-importing the module leaves running tasks running*'
        $about | Should -Not -BeLike '*Removing the module*stops*'
    }

    It 'leaves a running task running when the module is removed or imported again with -Force' {
        $task = Start-ClaudeTask 'fake:sleep 60000' -Name 'outlives-the-module'
        Wait-Until { $task.TaskState -eq 'Running' } 'the task to run'
        $child = $task.ProcessId

        Remove-Module ClaudeCodeMcp
        Start-Sleep -Milliseconds 500

        (Get-Process -Id $child -ErrorAction Ignore) | Should -Not -BeNullOrEmpty
        Import-Module (Get-TestModulePath)
        Import-Module (Get-TestModulePath) -Force
        (Get-Process -Id $child -ErrorAction Ignore) | Should -Not -BeNullOrEmpty
        (Get-ClaudeTask -Name 'outlives-the-module').TaskState | Should -Be 'Running'
        Stop-ClaudeTask -Name 'outlives-the-module'
        Wait-Until { -not (Get-Process -Id $child -ErrorAction Ignore) } 'the child to end'
    }

    It 'stops its children when the session ends' {
        $other = Start-OtherPwsh -StateDirectory $state -Script @'
            (Start-ClaudeTask 'fake:sleep 60000' -Name 'ends-with-its-session').TaskId
            [Console]::In.ReadLine() | Out-Null
'@
        try {
            Wait-Until { @(Get-ClaudeTask -Name 'ends-with-its-sessio*' -State Running).Count -eq 1 } 'the other session''s task to run'
            $child = (Get-ClaudeTask -Name 'ends-with-its-session').ProcessId
        } finally {
            Stop-OtherPwsh $other    # stdin closes: the script ends, and pwsh with it
        }

        Wait-Until { -not (Get-Process -Id $child -ErrorAction Ignore) } 'the child to end with its session'
        (Get-ClaudeTask -Name 'ends-with-its-session').TaskState | Should -Be 'Cancelled'
    }
}
