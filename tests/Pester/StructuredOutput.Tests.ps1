# Claude Code's own options through the cmdlets: a -JsonSchema answer comes back as objects, a task without one fails
# saying why, and every option reaches the child's command line as one token (the fake claude's report of its argv).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $state = Import-TestModule -WithStore
    $work = New-TestFolder 'work'
    $schema = @{ type = 'object'; properties = @{ files = @{ type = 'array'; items = @{ type = 'string' } } }; required = @('files') }
}

AfterAll {
    Remove-TestModule
}

Describe 'A task with -JsonSchema' {
    It 'gives Receive-ClaudeTask a StructuredOutput whose members are properties' {
        $task = Start-ClaudeTask 'fake:structured {"files": ["a.cs", "b.cs"], "summary": {"count": 2}}' -WorkingDirectory $work -JsonSchema $schema |
            Wait-ClaudeTask
        $result = $task | Receive-ClaudeTask

        $result.State | Should -Be 'Completed'
        $result.StructuredOutput.files | Should -Be @('a.cs', 'b.cs')
        $result.StructuredOutput.summary.count | Should -Be 2
    }

    It 'keeps whole numbers whole and reads as its JSON in CSV and in text' {
        $result = Invoke-ClaudeCode 'fake:structured {"files": ["a.cs", "b.cs"], "count": 2, "share": 0.5, "summary": {"ok": true}}' `
            -WorkingDirectory $work -JsonSchema $schema
        $csv = $result | Select-Object TaskId, StructuredOutput | ConvertTo-Csv | ConvertFrom-Csv

        $result.StructuredOutput.count | Should -BeOfType [long]
        $result.StructuredOutput.share | Should -BeOfType [double]
        ($result.StructuredOutput | ConvertTo-Json -Compress) | Should -BeExactly '{"files":["a.cs","b.cs"],"count":2,"share":0.5,"summary":{"ok":true}}'
        $csv.StructuredOutput | Should -BeExactly '{"files":["a.cs","b.cs"],"count":2,"share":0.5,"summary":{"ok":true}}'
        "$($result.StructuredOutput.summary)" | Should -BeExactly '{"ok":true}'
    }

    It 'takes the schema as JSON text too, and Invoke-ClaudeCode returns the object' {
        $result = Invoke-ClaudeCode 'fake:structured {"files": []}' -WorkingDirectory $work -JsonSchema '{"type": "object"}'

        $result.State | Should -Be 'Completed'
        @($result.StructuredOutput.files).Count | Should -Be 0
        $result.StructuredOutput.PSObject.Properties.Name | Should -Be 'files'
    }

    It 'fails, saying why, when the child answers without the structured output' {
        $result = Invoke-ClaudeCode 'fake:result only prose' -WorkingDirectory $work -JsonSchema $schema -ErrorAction SilentlyContinue

        $result.State | Should -Be 'Failed'
        $result.Error | Should -BeLike '*without the structured output its JSON schema asked for*'
        $result.StructuredOutput | Should -BeNullOrEmpty
    }

    It 'refuses JSON text that is not valid before anything starts' {
        $before = @(Get-ClaudeTask).Count
        { Start-ClaudeTask 'fake:result never' -WorkingDirectory $work -JsonSchema '{"type": ' -ErrorAction Stop } |
            Should -Throw '*JSON schema*not valid JSON*'
        @(Get-ClaudeTask).Count | Should -Be $before
    }
}

Describe "Claude Code's own options" {
    It 'reach the child as one --flag=value token each' {
        $report = Join-Path $work 'argv.json'
        $settings = Join-Path $work 'settings.json'
        '{}' | Set-Content $settings
        Push-Location $work
        try {
            $result = Invoke-ClaudeCode "fake:report $report" -FallbackModel 'opus,sonnet' -Effort MAX -SystemPrompt '--terse' -Settings 'settings.json' `
                -Agents @{ reviewer = [ordered]@{ description = 'd'; prompt = 'p' } } -Resume '9d3c2b1a-4e5f-4a6b-8c7d-0e1f2a3b4c5d' -ForkSession
        }
        finally { Pop-Location }
        $argv = (Get-Content $report -Raw | ConvertFrom-Json).argv

        $result.State | Should -Be 'Completed'
        $argv | Should -Contain '--fallback-model=opus,sonnet'
        $argv | Should -Contain '--effort=max'
        $argv | Should -Contain '--system-prompt=--terse'
        $argv | Should -Contain "--settings=$settings"
        $argv | Should -Contain '--agents={"reviewer":{"description":"d","prompt":"p"}}'
        $argv | Should -Contain '--fork-session'
    }

    It 'refuses a fork without a resume, a missing settings file and agents that are not JSON' {
        { Start-ClaudeTask 'x' -WorkingDirectory $work -ForkSession -ErrorAction Stop } | Should -Throw '*only when a session is resumed*'
        { Start-ClaudeTask 'x' -WorkingDirectory $work -Settings (Join-Path $work 'none.json') -ErrorAction Stop } | Should -Throw '*does not exist*'
        { Start-ClaudeTask 'x' -WorkingDirectory $work -Settings '{"model": ' -ErrorAction Stop } | Should -Throw '*not valid JSON*'
        { Start-ClaudeTask 'x' -WorkingDirectory $work -Agents '{reviewer}' -ErrorAction Stop } | Should -Throw '*agents must be a JSON object*'
        { Start-ClaudeTask 'x' -WorkingDirectory $work -Effort extreme -ErrorAction Stop } | Should -Throw '*one of: low, medium, high, xhigh, max*'
    }
}
