@{
    RootModule           = 'ClaudeCodeMcp.dll'
    ModuleVersion        = '0.0.0' # the build writes $(Version) from Directory.Build.props here: the version lives in one place
    CompatiblePSEditions = @('Core')
    GUID                 = '11f83176-3421-444d-a7cf-1a7feb6149aa'
    Author               = 'ClaudeCodeMcp contributors'
    CompanyName          = 'ClaudeCodeMcp contributors'
    Copyright            = '(c) 2026 ClaudeCodeMcp contributors. MIT License.'
    Description          = 'Runs Claude Code (claude -p) sessions in parallel as background tasks that are real PowerShell jobs: start, wait for, receive, stop and remove them, also across processes, and serve the same tasks to Claude Code over MCP (Start-ClaudeMcpServer).'
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('ClaudeCodeMcp.Format.ps1xml')
    CmdletsToExport      = @(
        'Start-ClaudeTask'
        'Get-ClaudeTask'
        'Wait-ClaudeTask'
        'Receive-ClaudeTask'
        'Watch-ClaudeTask'
        'Stop-ClaudeTask'
        'Remove-ClaudeTask'
        'Invoke-ClaudeCode'
        'Start-ClaudeMcpServer'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Claude', 'ClaudeCode', 'Anthropic', 'AI', 'MCP', 'Jobs', 'Parallel', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/ClaudeCodeMcp/ClaudeCodeMcp'
            LicenseUri   = 'https://github.com/ClaudeCodeMcp/ClaudeCodeMcp/blob/main/LICENSE'
            ReleaseNotes = 'First release: task cmdlets as PowerShell jobs, Invoke-ClaudeCode, and Start-ClaudeMcpServer.'
        }
    }
}
