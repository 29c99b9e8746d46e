# The README's PowerShell examples are real: each `PS>` line of "Use it from PowerShell" runs in a fresh pwsh with
# the test double for claude, and prints what the README shows (task ids, job timings and the model of a task
# stopped before it reported one aside).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    # The README's examples: "PS> command" lines, each followed by the output the README shows for it.
    function Get-ReadmeExample {
        $readme = Get-Content (Join-Path $PSScriptRoot '..' '..' 'README.md') -Raw
        $section = [regex]::Match($readme, '(?s)## Use it from PowerShell\n(.*?)\n## ').Groups[1].Value
        $examples = [Collections.Generic.List[object]]::new()
        foreach ($line in $section -split '\n') {
            if ($line -match '^    PS> (.*)$') { $examples.Add([pscustomobject]@{ Command = $Matches[1]; Output = [Collections.Generic.List[string]]::new() }) }
            elseif ($examples.Count -gt 0 -and $line -match '^    (.*)$') { $examples[-1].Output.Add($Matches[1]) }
            elseif ($examples.Count -gt 0 -and $line -eq '') { $examples[-1].Output.Add('') }
            elseif ($examples.Count -gt 0) { break }
        }
        $examples
    }

    # What may differ between two runs: task ids, elapsed times, the model column of a task stopped early, spacing.
    function Format-Comparable([string[]] $Lines) {
        ($Lines | ForEach-Object {
            $_ -replace '\b[abcdefghjkmnpqrstuvwxyz23456789]{8}\b', '<id>' -replace '\b\d+:\d\d\b', '<time>' -replace 'sonnet-4-5', '' -replace '\s+', ' '
        } | ForEach-Object Trim | Where-Object { $_ }) -join "`n"
    }
}

Describe 'The README''s PowerShell examples' {
    It 'run in real pwsh and print what the README shows' {
        $examples = @(Get-ReadmeExample)
        $examples.Count | Should -BeGreaterThan 3
        $state = New-TestFolder 'readme-state'
        $marker = 'README-EXAMPLE-' + [guid]::NewGuid().ToString('N')
        $script = @(
            '$PSStyle.OutputRendering = ''PlainText'''
            foreach ($example in $examples) {
                "Write-Host '$marker'"
                "Invoke-Expression '$($example.Command -replace "'", "''")' | Out-Default"
            }
            "Write-Host '$marker'"
            'Get-ClaudeTask | Remove-ClaudeTask -Force -Confirm:$false'
        ) -join "`n"

        $other = Start-OtherPwsh -StateDirectory $state -Script $script
        $stdout = $other.StandardOutput.ReadToEndAsync()
        $stderr = $other.StandardError.ReadToEndAsync()
        $other.WaitForExit(120000) | Should -BeTrue -Because 'the examples end'
        $stderr.Result | Should -BeNullOrEmpty
        $outputs = ($stdout.Result -replace "`r", '') -split [regex]::Escape($marker)

        for ($i = 0; $i -lt $examples.Count; $i++) {
            Format-Comparable ($outputs[$i + 1] -split "`n") | Should -Be (Format-Comparable $examples[$i].Output) -Because "PS> $($examples[$i].Command)"
        }
    }
}
