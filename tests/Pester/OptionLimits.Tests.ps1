# The cmdlets accept and refuse the task options' boundary values exactly as the MCP tools do: the same table
# (tests/Shared/TaskOptionBoundaries.cs, compiled here as it is) runs through claude_code_execute_async in the MCP tests.

BeforeDiscovery {
    $source = Join-Path $PSScriptRoot '..' 'Shared' 'TaskOptionBoundaries.cs'
    # The test projects compile it with nullable annotations and implicit usings on.
    Add-Type -TypeDefinition ("#nullable enable`nusing System;`nusing System.Collections.Generic;`n" + [IO.File]::ReadAllText($source))
    $boundaries = foreach ($boundary in [ClaudeCodeMcp.Tests.Shared.TaskOptionBoundaries]::All) {
        @{ Parameter = $boundary.Parameter; Value = $boundary.Value; Accepted = $boundary.Accepted; Says = $boundary.Says
            Verdict = $boundary.Accepted ? 'accepted' : 'refused' }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $state = Import-TestModule -WithStore
}

AfterAll {
    Remove-TestModule
}

Describe 'Task option limits, the same in both doors' {
    It 'Start-ClaudeTask -<Parameter> ''<Value>'' is <Verdict>, as by the tools; a refusal says the limits and names the parameter' -ForEach $boundaries {
        $arguments = @{ $Parameter = $Value }
        # A value the parameter refuses ends its statement; in a try (as Pester runs a test) it would end the test.
        $out = try { & { $ErrorActionPreference = 'Continue'; Start-ClaudeTask 'limits' @arguments } 2>&1 } catch { $_ }
        $errors = @($out | Where-Object { $_ -is [Management.Automation.ErrorRecord] })
        $started = @($out | Where-Object { $_ -isnot [Management.Automation.ErrorRecord] })
        $said = ($errors | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" }) -join ' | '

        if ($Accepted) {
            $errors | Should -BeNullOrEmpty -Because 'the engine accepts this value'
            $started.Count | Should -Be 1
        } else {
            $errors | Should -Not -BeNullOrEmpty -Because 'the engine refuses this value'
            $said | Should -BeLikeExactly "*$([Management.Automation.WildcardPattern]::Escape($Says))*" -Because 'the refusal should say the limits'
            $said | Should -BeLikeExactly "*'$Parameter'*" -Because "the refusal should name -$Parameter"
            $started | Should -BeNullOrEmpty -Because 'a refused value starts no task'
        }
    }

    It 'completes -PermissionMode with the engine''s choices, in its order' {
        $line = 'Start-ClaudeTask x -PermissionMode '

        $offered = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText

        $offered | Should -BeExactly 'default', 'acceptEdits', 'plan', 'auto', 'dontAsk', 'bypassPermissions'
    }
}
