# The daily spend guard in the PowerShell door: with CLAUDE_CODE_MCP_DAILY_BUDGET_USD below one task's cost, the first
# task runs and the next start is refused, in Start-ClaudeTask and Invoke-ClaudeCode alike, saying the spend, the
# budget and when room frees up.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $state = Import-TestModule -WithStore
}

AfterAll {
    $env:CLAUDE_CODE_MCP_DAILY_BUDGET_USD = $null
    Remove-TestModule
}

Describe 'The daily spend guard' {
    AfterEach { $env:CLAUDE_CODE_MCP_DAILY_BUDGET_USD = $null }

    It 'runs the first task and refuses the next once the day''s tasks have cost the budget' {
        $env:CLAUDE_CODE_MCP_DAILY_BUDGET_USD = '0.25'

        $first = Start-ClaudeTask 'fake:cost 0.4' | Wait-ClaudeTask
        Start-ClaudeTask 'the second' -ErrorAction SilentlyContinue -ErrorVariable refused | Should -BeNullOrEmpty
        'the third' | Invoke-ClaudeCode -ErrorAction SilentlyContinue -ErrorVariable refusedToo | Should -BeNullOrEmpty

        $first.State | Should -Be 'Completed'
        $refused[0].FullyQualifiedErrorId | Should -Be 'BudgetExhausted,ClaudeCodeMcp.Commands.StartClaudeTaskCommand'
        $refused[0].CategoryInfo.Category | Should -Be 'QuotaExceeded'
        $refused[0].Exception.Message | Should -BeLike '*have cost $0.40, and the daily budget is $0.25 (CLAUDE_CODE_MCP_DAILY_BUDGET_USD)*Room frees up at *UTC*Running tasks go on.'
        $refusedToo[0].FullyQualifiedErrorId | Should -Be 'BudgetExhausted,ClaudeCodeMcp.Commands.InvokeClaudeCodeCommand'
        Get-ClaudeTask | Where-Object PromptPreview -in 'the second', 'the third' | Should -BeNullOrEmpty
    }

    It 'refuses to start under a budget that is no number, rather than running without one' {
        $env:CLAUDE_CODE_MCP_DAILY_BUDGET_USD = 'twenty'

        Start-ClaudeTask 'any' -ErrorAction SilentlyContinue -ErrorVariable refused | Should -BeNullOrEmpty

        $refused[0].Exception.Message | Should -BeLike "*CLAUDE_CODE_MCP_DAILY_BUDGET_USD is 'twenty'*"
    }

    It 'starts tasks again once the budget is unset' {
        $task = Start-ClaudeTask 'no budget' | Wait-ClaudeTask
        $task.State | Should -Be 'Completed'
    }
}
