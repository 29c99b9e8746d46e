# Tasks nest only as deep as allowed: a session that is itself a task's (CLAUDE_CODE_MCP_DEPTH set by the engine)
# starts no task of its own unless CLAUDE_CODE_MCP_MAX_DEPTH allows one more level.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $state = Import-TestModule -WithStore
}

AfterAll {
    $env:CLAUDE_CODE_MCP_DEPTH = $null
    $env:CLAUDE_CODE_MCP_MAX_DEPTH = $null
    Remove-TestModule
}

Describe 'Nesting' {
    AfterEach {
        $env:CLAUDE_CODE_MCP_DEPTH = $null
        $env:CLAUDE_CODE_MCP_MAX_DEPTH = $null
    }

    It 'starts tasks at depth 1 outside any task' {
        $task = Start-ClaudeTask 'top level' | Wait-ClaudeTask
        $task.Depth | Should -Be 1
    }

    It 'refuses, inside a task, to start one, saying why and how to allow it' {
        $env:CLAUDE_CODE_MCP_DEPTH = '1'

        Start-ClaudeTask 'too deep' -ErrorAction SilentlyContinue -ErrorVariable refused | Should -BeNullOrEmpty
        'also too deep' | Invoke-ClaudeCode -ErrorAction SilentlyContinue -ErrorVariable refusedToo | Should -BeNullOrEmpty

        $refused[0].FullyQualifiedErrorId | Should -Be 'NestingLimitReached,ClaudeCodeMcp.Commands.StartClaudeTaskCommand'
        $refused[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $refused[0].Exception.Message | Should -BeLike '*inside a Claude task at depth 1*CLAUDE_CODE_MCP_MAX_DEPTH=2*'
        $refusedToo[0].FullyQualifiedErrorId | Should -Be 'NestingLimitReached,ClaudeCodeMcp.Commands.InvokeClaudeCodeCommand'
        Get-ClaudeTask | Where-Object PromptPreview -like '*too deep*' | Should -BeNullOrEmpty
    }

    It 'starts one level deeper when CLAUDE_CODE_MCP_MAX_DEPTH allows it' {
        $env:CLAUDE_CODE_MCP_DEPTH = '1'
        $env:CLAUDE_CODE_MCP_MAX_DEPTH = '2'

        $task = Start-ClaudeTask 'one level deeper' | Wait-ClaudeTask

        $task.Depth | Should -Be 2
        ($task | Receive-ClaudeTask).Result | Should -Be 'one level deeper'
    }
}
