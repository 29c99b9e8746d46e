# Tab completion through TabExpansion2, as the console does it: task ids, names, models and permission modes.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-TestModule

    # What Tab offers at the end of $Line.
    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText)
    }

    # $Text if Tab at the end of $Line offers it, spelt exactly so.
    function Find-Offered([string] $Line, [string] $Text) {
        Get-Completion $Line | Where-Object { $_ -ceq $Text } | Select-Object -First 1
    }
}

AfterAll {
    Remove-TestModule
}

Describe 'Tab completion' {
    BeforeEach {
        # Each test has a store and a location of its own, as a fresh session would.
        $sandbox = Enter-TestSandbox 'completion'
    }

    AfterEach {
        Exit-TestSandbox $sandbox
    }

    It 'completes task ids and names from the store, and models and permission modes' {
        $id = (Start-ClaudeTask 'hello' -Name 'my build' -Model haiku | Wait-Job).TaskId

        Find-Offered "Get-ClaudeTask -StateDirectory '$($sandbox.State)' -TaskId $($id.Substring(0, 3))" $id | Should -BeExactly $id
        Find-Offered "Stop-ClaudeTask -StateDirectory '$($sandbox.State)' -TaskId " $id | Should -BeExactly $id
        Get-Completion "Get-ClaudeTask -StateDirectory '$($sandbox.State)' -Name my" | Should -BeExactly "'my build'"
        Find-Offered 'Start-ClaudeTask x -Model so' 'sonnet' | Should -BeExactly 'sonnet'
        Find-Offered 'Invoke-ClaudeCode x -Model ' 'opus' | Should -BeExactly 'opus'
        Get-Completion 'Start-ClaudeTask x -PermissionMode acc' | Should -BeExactly 'acceptEdits'
    }

    It 'resolves -StateDirectory against the current location, and creates nothing for a mistyped one' {
        $id = (Start-ClaudeTask 'hello' | Wait-Job).TaskId
        $typo = 'ccm-typo-' + [guid]::NewGuid().ToString('N')

        Find-Offered 'Get-ClaudeTask -StateDirectory ../state -TaskId ' $id | Should -BeExactly $id
        Get-Completion "Get-ClaudeTask -StateDirectory $typo -TaskId " | Should -BeNullOrEmpty
        Get-Completion "Start-ClaudeTask x -StateDirectory $typo -Name " | Should -BeNullOrEmpty

        Join-Path $sandbox.Work $typo | Should -Not -Exist -Because 'completion must not create the mistyped folder'
        [IO.Path]::GetFullPath($typo) | Should -Not -Exist -Because 'completion must not create it in the process''s working directory either'
    }
}
