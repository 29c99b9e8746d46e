# Result objects as a user reads them: warnings for refused tools, the views, ConvertTo-Json and Export-Csv.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $state = Import-TestModule -WithStore
    $work = New-TestFolder 'work'
    $PSStyle.OutputRendering = 'PlainText'
    # A run that "succeeds" although two tools were refused (the test double's directives), and a clean one.
    $denied = Start-ClaudeTask "fake:denied Write`nfake:denied Bash`nfake:text All done." -Name 'refused' | Wait-ClaudeTask
    $clean = Start-ClaudeTask 'fine' -Name 'clean' | Wait-ClaudeTask
}

AfterAll {
    Remove-TestModule
}

Describe 'A completed run whose tools were refused' {
    It 'warns, naming the tools, in Receive-ClaudeTask, Receive-Job and Invoke-ClaudeCode' {
        $null = $denied | Receive-ClaudeTask -WarningVariable received -WarningAction SilentlyContinue
        $null = $denied | Receive-Job -Keep -WarningVariable job -WarningAction SilentlyContinue
        $null = "fake:denied Edit`nfake:text ok" | Invoke-ClaudeCode -WarningVariable invoked -WarningAction SilentlyContinue

        "$received" | Should -BeLike "*$($denied.TaskId) (refused) ended completed*refused these tools: Write, Bash*-AllowedTools*"
        "$job" | Should -BeLike '*refused these tools: Write, Bash*'
        "$invoked" | Should -BeLike '*refused the tool: Edit*'
    }

    It 'gives no warning when nothing was refused' {
        $null = $clean | Receive-ClaudeTask -WarningVariable none -WarningAction SilentlyContinue
        $none | Should -BeNullOrEmpty
    }

    It 'shows the refused tools in the views' {
        $table = $denied | Receive-ClaudeTask -WarningAction SilentlyContinue | Format-Table | Out-String -Width 200
        $list = $denied | Format-List | Out-String -Width 200

        $table | Should -BeLike '*completed*[[]refused: Write, Bash] All done.*'
        $list | Should -BeLike '*PermissionDenials*: {Write, Bash}*'
    }
}

Describe 'Token usage' {
    It 'is on results and tasks, by kind, and totals in one line' {
        $result = $clean | Receive-ClaudeTask

        $result.Usage.InputTokens | Should -Be 10
        $result.Usage.OutputTokens | Should -Be 5
        $result.Usage.CacheReadInputTokens | Should -Be 3
        $result.Usage.CacheCreationInputTokens | Should -Be 2
        $clean.Usage.TotalTokens | Should -Be 20
        ($denied, $clean | Receive-ClaudeTask -WarningAction SilentlyContinue).Usage.TotalTokens | Measure-Object -Sum |
            Select-Object -ExpandProperty Sum | Should -Be 40
        (Get-ClaudeTask -Name refused, clean | Measure-Object -Property CostUsd -Sum).Sum | Should -BeGreaterThan 0
    }
}

Describe 'Results in JSON and CSV' {
    It 'reads well as JSON: the state by name, the duration a number, lists as arrays' {
        $json = $denied | Receive-ClaudeTask -WarningAction SilentlyContinue | ConvertTo-Json | ConvertFrom-Json -AsHashtable

        $json.State | Should -Be 'Completed'
        $json.DurationMs | Should -BeOfType [long]
        $json.PermissionDenials | Should -Be 'Write', 'Bash'
        $json.Result | Should -Be 'All done.'
        $json.TaskId | Should -Be $denied.TaskId
        $json.Usage.InputTokens | Should -Be 10
        $json.Usage.TotalTokens | Should -Be 20
    }

    It 'reads well as CSV: lists as text, never System.String[]' {
        $path = Join-Path $work 'results.csv'
        $denied, $clean | Receive-ClaudeTask -WarningAction SilentlyContinue | Export-Csv $path
        $rows = Import-Csv $path
        $text = Get-Content $path -Raw

        $text | Should -Not -BeLike '*System.*'
        ($rows | Where-Object Name -eq 'refused').PermissionDenials | Should -Be 'Write, Bash'
        ($rows | Where-Object Name -eq 'refused').State | Should -Be 'Completed'
        [long]($rows | Where-Object Name -eq 'clean').DurationMs | Should -BeGreaterThan 0
        ($rows | Where-Object Name -eq 'clean').Usage | Should -Be '20 tokens (input 10, output 5, cache read 3, cache write 2)'
    }
}
