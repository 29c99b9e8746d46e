# The pipelines a PowerShell user writes: prompts through Start, Wait and Receive-ClaudeTask, a task or a result
# continuing its session, and the task parameters and environment that reach the child.
# (Binding objects by property name is in Pipelines.Tests.ps1.)

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-TestModule

    # What the test double saw (`fake:report <file>`): its argv, working directory and environment, read as written
    # (ConvertFrom-Json refuses variable names that differ only in case, which Linux allows).
    function Read-Report([string] $Path) {
        $root = [Text.Json.JsonDocument]::Parse([IO.File]::ReadAllText($Path)).RootElement
        $variables = [Collections.Generic.Dictionary[string, string]]::new([StringComparer]::Ordinal)
        foreach ($variable in $root.GetProperty('env').EnumerateObject()) { $variables[$variable.Name] = $variable.Value.GetString() }
        [pscustomobject]@{
            argv = [string[]]@($root.GetProperty('argv').EnumerateArray() | ForEach-Object GetString)
            cwd  = $root.GetProperty('cwd').GetString()
            env  = $variables
        }
    }
}

AfterAll {
    Remove-TestModule
}

Describe 'Pipelines' {
    BeforeEach {
        # Each test has a store and a location of its own, as a fresh session would.
        $sandbox = Enter-TestSandbox 'pipeline'
    }

    AfterEach {
        Exit-TestSandbox $sandbox
    }

    It 'pipes prompts through Start-, Wait- and Receive-ClaudeTask' {
        $results = 'a', 'b', 'c' | Start-ClaudeTask | Wait-ClaudeTask | Receive-ClaudeTask

        $results.Result | Sort-Object | Should -Be 'a', 'b', 'c'
    }

    It 'continues a piped task''s session, in its folder' {
        $report = Join-Path $sandbox.Root 'resume.json'
        $elsewhere = New-Item -ItemType Directory -Path (Join-Path $sandbox.Root 'elsewhere')
        $first = Start-ClaudeTask 'first' -WorkingDirectory ../elsewhere | Wait-ClaudeTask

        $second = $first | Start-ClaudeTask "fake:report $report" | Wait-ClaudeTask

        $second.TaskState | Should -Be 'Completed'
        $seen = Read-Report $report
        $seen.argv -ccontains "--resume=$($first.SessionId)" | Should -BeTrue -Because "the child's command line was: $($seen.argv -join ' ')"
        $seen.cwd | Should -BeExactly $elsewhere.FullName
    }

    It 'continues a piped result''s session' {
        $report = Join-Path $sandbox.Root 'resume.json'

        Invoke-ClaudeCode 'first' | Start-ClaudeTask "fake:report $report" | Wait-ClaudeTask | Out-Null

        $first = Get-ClaudeTask | Where-Object Result -eq 'first'
        @($first).Count | Should -Be 1
        $first.SessionId | Should -Not -BeNullOrEmpty
        $argv = (Read-Report $report).argv
        $argv -ccontains "--resume=$($first.SessionId)" | Should -BeTrue -Because "the child's command line was: $($argv -join ' ')"
    }

    It 'refuses a task, a result or a number piped without a prompt, and starts nothing' {
        $task = Start-ClaudeTask 'first' | Wait-ClaudeTask
        $result = $task | Receive-ClaudeTask

        # As at a prompt: each error is written and the next line runs (the suite runs with ErrorActionPreference Stop).
        $out = & {
            $ErrorActionPreference = 'Continue'
            $task | Start-ClaudeTask
            $result | Start-ClaudeTask
            $task | Invoke-ClaudeCode
            42 | Start-ClaudeTask
        } 2>&1
        $errors = $out | Where-Object { $_ -is [Management.Automation.ErrorRecord] }

        $out | Where-Object { $_ -isnot [Management.Automation.ErrorRecord] } | Should -BeNullOrEmpty
        $errors.Count | Should -Be 4
        foreach ($failure in $errors) { $failure.Exception.Message | Should -BeLikeExactly '*only text binds to -Prompt*' }
        $errors[0].Exception.Message | Should -BeLikeExactly '*ClaudeTaskJob is not a prompt*'
        $errors[0].Exception.Message | Should -BeLikeExactly "*Start-ClaudeTask 'what to do next'*"
        $errors[1].Exception.Message | Should -BeLikeExactly '*ClaudeTaskResult is not a prompt*'
        @(Get-ClaudeTask).Count | Should -Be 1
    }

    It 'keeps a variable removed from $env: from the child' {
        $report = Join-Path $sandbox.Root 'env.json'
        try {
            $env:CCM_REMOVED_FROM_ENV = 'was here'
            Invoke-ClaudeCode 'the engine starts while it is set' | Out-Null
            $env:CCM_REMOVED_FROM_ENV = $null
            Invoke-ClaudeCode "fake:report $report" | Out-Null

            (Read-Report $report).env.ContainsKey('CCM_REMOVED_FROM_ENV') | Should -BeFalse -Because 'it was removed from $env: before the task started'
        } finally {
            $env:CCM_REMOVED_FROM_ENV = $null
        }
    }

    It 'passes the task parameters to the child''s command line and environment' {
        $report = Join-Path $sandbox.Root 'args.json'
        try {
            $env:CCM_FROM_SESSION = 'session value'
            Invoke-ClaudeCode "fake:report $report" -Model opus -PermissionMode acceptedits -AllowedTools Read, 'Bash(git log:*)' -DisallowedTools Write `
                -MaxTurns 3 -MaxBudgetUsd 1.5 -AppendSystemPrompt 'be brief' -AddDirectory ../extra -Environment @{ CCM_EXTRA = 'x' } | Out-Null
        } finally {
            $env:CCM_FROM_SESSION = $null
        }

        $seen = Read-Report $report
        $expected = '--model=opus', '--permission-mode=acceptEdits', '--allowedTools=Read', '--allowedTools=Bash(git log:*)',
            '--disallowedTools=Write', '--max-turns=3', '--max-budget-usd=1.5', '--append-system-prompt=be brief',
            "--add-dir=$(Join-Path $sandbox.Root 'extra')"
        foreach ($argument in $expected) {
            $seen.argv -ccontains $argument | Should -BeTrue -Because "the child's command line should hold $argument; it was: $($seen.argv -join ' ')"
        }
        $seen.cwd | Should -BeExactly $sandbox.Work
        $seen.env['CCM_EXTRA'] | Should -BeExactly 'x'
        $seen.env['CCM_FROM_SESSION'] | Should -BeExactly 'session value'
    }
}
