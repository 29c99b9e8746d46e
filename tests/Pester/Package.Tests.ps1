#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The Gallery package as a user gets it: tools/New-ModulePackage.ps1, what `./build.ps1 -Package` runs, packs the built
# module; PSResourceGet publishes it to a folder repository and installs it by name (and so does Install-Module); a fresh
# pwsh imports it by name and runs a task. Every pwsh that runs PSResourceGet or imports the installed module is a fresh
# one with a private HOME (its module path, repository registrations and caches), so the user's own are never touched,
# by `dotnet test` or by hand.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $repositoryRoot = Join-Path $PSScriptRoot '..' '..' -Resolve
    $builtModule = Split-Path (Get-TestModulePath)
    $fake = Get-TestClaudePath
    $sandbox = New-TestFolder 'package'
    $version = (Select-Xml -Path (Join-Path $repositoryRoot 'Directory.Build.props') -XPath '//Version').Node.InnerText

    function ConvertTo-Literal([string] $Text) { "'" + $Text.Replace("'", "''") + "'" }

    # A private HOME whose folders exist: .NET gives a missing one as '', and PSResourceGet then keeps its registrations
    # in the current folder.
    function New-PrivateHome([string] $Name) {
        $path = Join-Path $sandbox $Name
        foreach ($folder in '.config', '.local/share', '.local/state', '.cache', 'tmp') {
            New-Item -ItemType Directory -Path (Join-Path $path $folder) -Force | Out-Null
        }
        $path
    }
    $privateHome = New-PrivateHome 'home'

    # Runs the command in a new pwsh (this one's, -NoProfile) in the sandbox, with a private HOME and the default module
    # path for that HOME.
    function Invoke-FreshPwsh([string] $Command, [string] $HomeFolder = $privateHome) {
        $pwsh = [Environment]::ProcessPath
        $arguments = @('-NoProfile', '-NonInteractive', '-Command', "`$ErrorActionPreference = 'Stop'; `$PSStyle.OutputRendering = 'PlainText'; $Command")
        if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $arguments = @(Join-Path $PSHOME 'pwsh.dll') + $arguments }
        $privateEnvironment = @{
            HOME            = $HomeFolder
            XDG_CONFIG_HOME = Join-Path $HomeFolder '.config'
            XDG_DATA_HOME   = Join-Path $HomeFolder '.local' 'share'
            XDG_STATE_HOME  = Join-Path $HomeFolder '.local' 'state'
            XDG_CACHE_HOME  = Join-Path $HomeFolder '.cache'
            TMPDIR          = Join-Path $HomeFolder 'tmp'
            PSModulePath    = $null
        }
        $saved = @{}
        foreach ($name in $privateEnvironment.Keys) {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $privateEnvironment[$name])
        }
        Push-Location $sandbox
        try {
            $output = & $pwsh @arguments 2>&1 | ForEach-Object ToString
            if ($LASTEXITCODE -ne 0) { throw "pwsh exited with $LASTEXITCODE`n$($output -join "`n")" }
            $output
        } finally {
            Pop-Location
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
    }

    # What tools/New-ModulePackage.ps1 prints is the nupkg's path.
    $packages = Join-Path $sandbox 'packages'
    $script = Join-Path $repositoryRoot 'tools' 'New-ModulePackage.ps1'
    $package = Invoke-FreshPwsh "(& $(ConvertTo-Literal $script) -ModulePath $(ConvertTo-Literal $builtModule) -DestinationPath $(ConvertTo-Literal $packages)).FullName" |
        Select-Object -Last 1
    $zip = [IO.Compression.ZipFile]::OpenRead($package)
    try {
        $entries = $zip.Entries.FullName
        $nuspec = [xml][IO.StreamReader]::new(($zip.Entries | Where-Object FullName -EQ 'ClaudeCodeMcp.nuspec').Open()).ReadToEnd()
    } finally {
        $zip.Dispose()
    }
    # The package's own files (OPC parts and the nuspec) are not module content.
    $content = $entries | Where-Object { $_ -notmatch '^(_rels/|package/|\[Content_Types\]\.xml$|ClaudeCodeMcp\.nuspec$)' }
}

AfterAll {
    Remove-Item $sandbox -Recurse -Force -ErrorAction Ignore
}

Describe 'The Gallery package' {
    It 'is ClaudeCodeMcp.<version>.nupkg, the version from Directory.Build.props in the file name, the nuspec, the manifest and the assembly' {
        $version | Should -Match '^\d+\.\d+\.\d+$'
        Split-Path $package -Leaf | Should -Be "ClaudeCodeMcp.$version.nupkg"
        $nuspec.package.metadata.id | Should -Be 'ClaudeCodeMcp'
        $nuspec.package.metadata.version | Should -Be $version
        (Import-PowerShellDataFile (Get-TestModulePath)).ModuleVersion | Should -Be $version
        (Get-Item (Join-Path $builtModule 'ClaudeCodeMcp.dll')).VersionInfo.ProductVersion -replace '\+.*$' | Should -Be $version
    }

    It 'holds the built module without symbols, XML docs or tests: the help and the format file stay' {
        $content | Should -Contain 'ClaudeCodeMcp.psd1'
        $content | Should -Contain 'ClaudeCodeMcp.dll'
        $content | Should -Contain 'ClaudeCodeMcp.Format.ps1xml'
        $content | Should -Contain 'en-US/ClaudeCodeMcp.dll-Help.xml'
        $content | Should -Contain 'en-US/about_ClaudeCodeMcp.help.txt'
        $content | Should -Contain 'Dependencies/ClaudeCodeMcp.Engine.dll'
        $content | Where-Object { $_ -like '*.pdb' } | Should -BeNullOrEmpty
        # An XML doc is X.xml beside X.dll; the built module has one (the engine's), the package none.
        Get-ChildItem $builtModule -Recurse -Filter *.xml | Where-Object { Test-Path ($_.FullName -replace '\.xml$', '.dll') } | Should -Not -BeNullOrEmpty
        $content | Where-Object { $_ -like '*.xml' -and ($content -contains ($_ -replace '\.xml$', '.dll')) } | Should -BeNullOrEmpty
        $content | Where-Object { $_ -match '(^|/)tests?/|\.Tests\.' } | Should -BeNullOrEmpty
    }

    It 'holds every other file of the built module' {
        $built = Get-ChildItem $builtModule -Recurse -File |
            Where-Object { $_.Extension -ne '.pdb' -and -not ($_.Extension -eq '.xml' -and (Test-Path ($_.FullName -replace '\.xml$', '.dll'))) } |
            ForEach-Object { [IO.Path]::GetRelativePath($builtModule, $_.FullName).Replace('\', '/') }
        $content | Sort-Object | Should -Be ($built | Sort-Object)
    }

    It 'has a manifest that passes Test-ModuleManifest' {
        $unpacked = Join-Path $sandbox 'unpacked' 'ClaudeCodeMcp'
        [IO.Compression.ZipFile]::ExtractToDirectory($package, $unpacked)
        $manifest = Test-ModuleManifest (Join-Path $unpacked 'ClaudeCodeMcp.psd1')
        $manifest.Version | Should -Be $version
        $manifest.ExportedCmdlets.Count | Should -Be 9
    }
}

# On Windows the CurrentUser scope is Documents\PowerShell\Modules, which no environment variable moves to a private folder.
Describe 'Installed from a folder repository' -Skip:$IsWindows {
    BeforeAll {
        # Registrations of a unique name in the private HOMEs, gone again once the package is installed.
        $repositoryName = 'ccm-test-' + [guid]::NewGuid().ToString('N')
        $repository = New-Item -ItemType Directory -Path (Join-Path $sandbox 'repository') | Select-Object -ExpandProperty FullName
        $installed = Invoke-FreshPwsh @"
Register-PSResourceRepository -Name $repositoryName -Uri $(ConvertTo-Literal $repository) -Trusted
try {
    Publish-PSResource -NupkgPath $(ConvertTo-Literal $package) -Repository $repositoryName
    Install-PSResource ClaudeCodeMcp -Repository $repositoryName -Scope CurrentUser
    Get-InstalledPSResource ClaudeCodeMcp | ForEach-Object { "INSTALLED `$(`$_.Version) `$(`$_.InstalledLocation)" }
} finally {
    Unregister-PSResourceRepository -Name $repositoryName
}
"@
        $state = New-TestFolder 'state'
    }

    AfterAll {
        Remove-Item $state -Recurse -Force -ErrorAction Ignore
    }

    It 'installs with Install-PSResource into the CurrentUser module path' {
        @($installed) -match '^INSTALLED ' | Should -Be "INSTALLED $version $(Join-Path $privateHome '.local' 'share' 'powershell' 'Modules')"
        Get-ChildItem $repository | Select-Object -ExpandProperty Name | Should -Be "ClaudeCodeMcp.$version.nupkg"
    }

    It 'imports by name in a fresh pwsh and runs a task' {
        $output = Invoke-FreshPwsh @"
Import-Module ClaudeCodeMcp
`$PSDefaultParameterValues['*-Claude*:StateDirectory'] = $(ConvertTo-Literal $state)
"MODULE `$((Get-Module ClaudeCodeMcp).Version) `$((Get-Module ClaudeCodeMcp).ModuleBase)"
`$result = Start-ClaudeTask 'hello' -ClaudePath $(ConvertTo-Literal $fake) | Wait-ClaudeTask | Receive-ClaudeTask
"RESULT `$(`$result.State) `$(`$result.Result)"
"@
        @($output) -match '^MODULE ' | Should -Be "MODULE $version $(Join-Path $privateHome '.local' 'share' 'powershell' 'Modules' 'ClaudeCodeMcp' $version)"
        @($output) -match '^RESULT ' | Should -Be 'RESULT Completed hello'
    }

    It 'installs with Install-Module (PowerShellGet) too' {
        $otherHome = New-PrivateHome 'home-powershellget'
        $output = Invoke-FreshPwsh -HomeFolder $otherHome @"
Register-PSRepository -Name $repositoryName -SourceLocation $(ConvertTo-Literal $repository) -InstallationPolicy Trusted
try {
    Install-Module ClaudeCodeMcp -Repository $repositoryName -Scope CurrentUser
    Get-InstalledModule ClaudeCodeMcp | ForEach-Object { "INSTALLED `$(`$_.Version) `$(`$_.InstalledLocation)" }
} finally {
    Unregister-PSRepository -Name $repositoryName
}
"@
        @($output) -match '^INSTALLED ' | Should -Be "INSTALLED $version $(Join-Path $otherHome '.local' 'share' 'powershell' 'Modules' 'ClaudeCodeMcp' $version)"
    }
}
