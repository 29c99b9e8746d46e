# Get-Help shows a synopsis, every parameter and examples for every cmdlet, states the engine's limits of every task
# option, and has an about topic.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $cmdlets = (Import-Module (Get-TestModulePath) -Force -PassThru).ExportedCmdlets.Keys | Sort-Object
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Import-Module (Get-TestModulePath) -Force

    # Each parameter of a help object: its name and its description as one text.
    function Get-DocumentedParameter($Help) {
        foreach ($parameter in $Help.parameters.parameter) {
            [pscustomobject]@{ Name = $parameter.name; Text = ($parameter.description | ForEach-Object Text) -join ' ' }
        }
    }
}

AfterAll {
    Remove-TestModule
}

Describe 'Help of every cmdlet' {
    It 'covers every cmdlet of the module (the tests below are one per exported cmdlet)' {
        $cmdlets = (Get-Module ClaudeCodeMcp).ExportedCmdlets.Keys
        $expected = 'Start-ClaudeTask', 'Get-ClaudeTask', 'Wait-ClaudeTask', 'Receive-ClaudeTask', 'Stop-ClaudeTask', 'Remove-ClaudeTask',
            'Invoke-ClaudeCode', 'Start-ClaudeMcpServer', 'Watch-ClaudeTask'
        foreach ($name in $expected) { $cmdlets | Should -Contain $name }
    }

    It '<_> has a synopsis, every parameter described and two examples' -ForEach $cmdlets {
        $cmdlet = $_
        $help = Get-Help $cmdlet -Full
        $common = [Management.Automation.Internal.CommonParameters].GetProperties().Name + 'WhatIf', 'Confirm'
        $visible = (Get-Command $cmdlet).Parameters.Values.Where{
            $common -notcontains $_.Name -and -not $_.Attributes.Where{ $_ -is [Management.Automation.ParameterAttribute] -and $_.DontShow }
        }.Name
        $documented = Get-DocumentedParameter $help

        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis.Trim() | Should -Not -BeLike "*$cmdlet*" -Because 'a synopsis that names the cmdlet is the syntax Get-Help makes up when there is no help'
        $visible | Should -Not -BeNullOrEmpty
        foreach ($parameter in $visible) {
            $entry = $documented | Where-Object Name -eq $parameter
            $entry | Should -Not -BeNullOrEmpty -Because "$cmdlet -$parameter needs help"
            $entry.Text.Length | Should -BeGreaterThan 20 -Because "$cmdlet -$parameter needs a description"
        }
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2 -Because "$cmdlet needs at least two examples"
    }

    # The help of every option with limits states them as the engine's rule does, so help, check and tools agree.
    It '<_> states the engine''s limits of every task option' -ForEach 'Start-ClaudeTask', 'Invoke-ClaudeCode' {
        $cmdlet = $_
        $limited = foreach ($parameter in (Get-Command $cmdlet).Parameters.Values) {
            foreach ($attribute in $parameter.Attributes) {
                if ($attribute.GetType().Name -eq 'TaskOptionAttribute') { [pscustomobject]@{ Name = $parameter.Name; Limits = $attribute.Rule.Limits } }
            }
        }
        $documented = Get-DocumentedParameter (Get-Help $cmdlet -Full)

        $limited.Name | Should -BeExactly 'PermissionMode', 'MaxTurns', 'MaxBudgetUsd', 'Timeout', 'Effort', 'MaxRetries'
        foreach ($option in $limited) {
            $text = ($documented | Where-Object Name -eq $option.Name).Text
            $text | Should -BeLike "*$([Management.Automation.WildcardPattern]::Escape($option.Limits))*" -Because "the help of $cmdlet -$($option.Name) should say the limits"
        }
        # The syntax lists the modes, as "-PermissionMode {default | acceptEdits | ...}".
        $modes = (Get-Help $cmdlet).syntax.syntaxItem.parameter.Where{ $_.name -eq 'PermissionMode' } | ForEach-Object { $_.parameterValueGroup.parameterValue }
        'one of: ' + ($modes -join ', ') | Should -BeExactly ($limited | Where-Object Name -eq 'PermissionMode').Limits
    }
}

Describe 'about_ClaudeCodeMcp' {
    It 'explains the module: its cmdlets, the job cmdlets and where state lives' {
        $about = Get-Help about_ClaudeCodeMcp | Out-String

        $about | Should -BeLikeExactly '*about_ClaudeCodeMcp*'
        $about | Should -BeLikeExactly '*Start-ClaudeTask*'
        $about | Should -BeLikeExactly '*CLAUDE_CODE_MCP_STATE_DIR*'
        $about | Should -BeLikeExactly '*Receive-Job*'
    }
}
