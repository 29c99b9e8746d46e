# Errors are ErrorRecords whose FullyQualifiedErrorId names the cause, with a meaningful category and a message that
# says what to do, worded as this module's parameters and cmdlets.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-TestModule
}

AfterAll {
    Remove-TestModule
}

Describe 'Error records' {
    BeforeEach {
        # Each test has a store and a location of its own, as a fresh session would.
        $sandbox = Enter-TestSandbox 'errors'
    }

    AfterEach {
        Exit-TestSandbox $sandbox
    }

    It 'says claude was not found (ObjectNotFound), naming all three ways to point at it' {
        Start-ClaudeTask 'hi' -ClaudePath ./no-such-claude -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'ClaudeNotFound,ClaudeCodeMcp.Commands.StartClaudeTaskCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $shown = $failures[0].ToString()   # what PowerShell prints: the engine's message with the module's remedy
        $shown | Should -BeLikeExactly '*no-such-claude*'
        $shown | Should -BeLikeExactly '*-ClaudePath*'
        $shown | Should -BeLikeExactly '*$env:CLAUDE_CODE_PATH*'
        $shown | Should -BeLikeExactly "*'claude' on PATH*"
        $shown | Should -Not -BeLike '*--claude-path*'
    }

    It 'words remedies as this module''s parameters and cmdlets, never the MCP tools''' {
        # As at a prompt: each error is written and the next line runs (the suite runs with ErrorActionPreference Stop).
        $errors = & {
            $ErrorActionPreference = 'Continue'
            $turns = Start-ClaudeTask 'fake:max-turns 3' | Wait-ClaudeTask
            $turns | Receive-ClaudeTask
            $long = Start-ClaudeTask 'fake:sleep 30000'
            $long | Remove-ClaudeTask -Confirm:$false
            Get-ClaudeTask -TaskId zzzzzzzz
        } 2>&1 | Where-Object { $_ -is [Management.Automation.ErrorRecord] }

        $shown = $errors | ForEach-Object ToString
        $shown.Count | Should -Be 3
        $shown[0] | Should -BeLikeExactly '*maximum number of turns*'
        $shown[0] | Should -BeLikeExactly '*Raise -MaxTurns*'
        $shown[1] | Should -BeLikeExactly '*-Force*'
        $shown[2] | Should -BeLikeExactly '*Get-ClaudeTask*'
        $shown | Where-Object { $_ -like '*max_turns*' -or $_ -like '*claude_code_*' } | Should -BeNullOrEmpty
    }

    It 'says a missing working directory was not found (ObjectNotFound), naming it' {
        Invoke-ClaudeCode 'hi' -WorkingDirectory ./nowhere -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'WorkingDirectoryNotFound,ClaudeCodeMcp.Commands.InvokeClaudeCodeCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].Exception.Message | Should -BeLikeExactly "*$(Join-Path $sandbox.Work 'nowhere')*"
    }

    It 'refuses an empty prompt and bad arguments as InvalidArgument, and the pipeline goes on' {
        $out = & {
            $ErrorActionPreference = 'Continue'
            '', 'fine' | Start-ClaudeTask
            Start-ClaudeTask 'x' -Model '--evil'
            Start-ClaudeTask 'x' -AllowedTools '-Read'
        } 2>&1
        $errors = $out | Where-Object { $_ -is [Management.Automation.ErrorRecord] }

        @($out | Where-Object { $_ -isnot [Management.Automation.ErrorRecord] }).Count | Should -Be 1
        $errors | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] } | Should -Be 'EmptyPrompt', 'InvalidArgument', 'InvalidArgument'
        $errors | ForEach-Object { $_.CategoryInfo.Category } | Should -Be 'InvalidArgument', 'InvalidArgument', 'InvalidArgument'
    }

    It 'rejects bad parameter values before anything starts' {
        # Binding errors end their statement; in a try (as Pester runs a test) they would end the whole block.
        $ErrorActionPreference = 'Continue'
        $calls = { Start-ClaudeTask 'x' -PermissionMode sometimes }, { Invoke-ClaudeCode 'x' -ThrottleLimit 0 },
            { Start-ClaudeTask 'x' -MaxTurns 0 }, { Start-ClaudeTask 'x' -MaxBudgetUsd 0 }, { Start-ClaudeTask 'x' -PermissionMode manual },
            { Start-ClaudeTask 'x' -Timeout 2592001 }
        $errors = foreach ($call in $calls) { try { & $call 2>&1 } catch { $_ } }

        $errors.Count | Should -Be 6
        foreach ($failure in $errors) { $failure.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*' }
        Get-ClaudeTask | Should -BeNullOrEmpty
    }

    It 'says a task cannot be suspended, and what to do instead' {
        # Suspend-Job exists only on Windows; it calls the job's SuspendJob, as this does.
        $task = Start-ClaudeTask 'fake:sleep 30000'

        { $task.SuspendJob() } | Should -Throw '*Stop-ClaudeTask*'
    }
}
