#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The module as a user meets it in real pwsh. `dotnet test` runs every file here in pwsh 7.6.9 with Pester 5.7.1
# (tests/ClaudeCodeMcp.Module.Tests/Pester); by hand, after `dotnet build -c Release`: Invoke-Pester ./tests/Pester

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $fake = Get-TestClaudePath
    $state = Import-TestModule -WithStore
}

AfterAll {
    Remove-TestModule
    Remove-Item $state -Recurse -Force -ErrorAction Ignore
}

Describe 'ClaudeCodeMcp' {
    It 'has a manifest that passes Test-ModuleManifest' {
        $manifest = Test-ModuleManifest (Join-Path (Get-Module ClaudeCodeMcp).ModuleBase 'ClaudeCodeMcp.psd1')
        $manifest.ExportedCmdlets.Count | Should -Be 9
    }

    It 'returns tasks that are jobs, whose Receive-Job yields result objects' {
        $result = Start-ClaudeTask 'hello' | Wait-Job | Receive-Job
        $result.Result | Should -Be 'hello'
        $result.State | Should -Be 'Completed'
    }

    It 'pipes prompts through Start, Wait and Receive-ClaudeTask' {
        $results = 'a', 'b', 'c' | Start-ClaudeTask | Wait-ClaudeTask | Receive-ClaudeTask
        ($results.Result | Sort-Object) -join ',' | Should -Be 'a,b,c'
    }

    It 'stops running tasks from the pipeline' {
        $task = Start-ClaudeTask 'fake:sleep 30000'
        Get-ClaudeTask -State Running | Stop-ClaudeTask
        $task.TaskState | Should -Be 'Cancelled'
        $task.JobStateInfo.State | Should -Be 'Stopped'
    }

    It 'runs piped prompts in parallel with Invoke-ClaudeCode' {
        $results = "fake:sleep 500`nfake:text slow", 'fast' | Invoke-ClaudeCode -ThrottleLimit 2
        $results[0].Result | Should -Be 'fast'
    }

    It 'reports a missing claude as ClaudeNotFound' {
        { Start-ClaudeTask 'x' -ClaudePath ./nowhere -ErrorAction Stop } |
            Should -Throw -ErrorId 'ClaudeNotFound,ClaudeCodeMcp.Commands.StartClaudeTaskCommand'
    }

    It 'has help with examples for every cmdlet' {
        foreach ($command in Get-Command -Module ClaudeCodeMcp) {
            (Get-Help $command.Name).examples.example.Count | Should -BeGreaterThan 1 -Because $command.Name
        }
    }
}
