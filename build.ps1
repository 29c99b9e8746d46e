#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, packages and installs the ClaudeCodeMcp module. A thin wrapper over dotnet: `dotnet build` alone
    leaves the importable module in out/ClaudeCodeMcp.
.EXAMPLE
    ./build.ps1                 # build (Release)
.EXAMPLE
    ./build.ps1 -Test           # build, then run every test (dotnet test, then Pester when installed)
.EXAMPLE
    ./build.ps1 -Package        # build, then write out/packages/ClaudeCodeMcp.<version>.nupkg for the PowerShell Gallery
                                # and out/packages/claude-code-mcp.<version>.nupkg (the host as a .NET tool, with its
                                # native and fallback packages) for NuGet
.EXAMPLE
    ./build.ps1 -Install        # build, then copy out/ClaudeCodeMcp into your user module path
#>
[CmdletBinding()]
param(
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',
    # Runs the xunit suites (dotnet test) and, when Pester 5 is installed, tests/Pester.
    [switch] $Test,
    # Writes out/packages/ClaudeCodeMcp.<version>.nupkg (tools/New-ModulePackage.ps1) and the claude-code-mcp tool
    # packages (the PackToolPackages target of src/ClaudeCodeMcp.Server) from a Release build.
    [switch] $Package,
    # Copies the built module to <user module path>/ClaudeCodeMcp/<version>.
    [switch] $Install
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Get-UserModulePath {
    # The per-user module folder pwsh searches (about_PSModulePath), whatever order $env:PSModulePath has:
    # Documents\PowerShell\Modules on Windows, $XDG_DATA_HOME/powershell/Modules (else ~/.local/share/powershell/Modules) elsewhere.
    if ($IsWindows) {
        return Join-Path ([Environment]::GetFolderPath('MyDocuments')) 'PowerShell' 'Modules'
    }
    $dataHome = if ($env:XDG_DATA_HOME) { $env:XDG_DATA_HOME } else { Join-Path $HOME '.local' 'share' }
    Join-Path $dataHome 'powershell' 'Modules'
}
$solution = Join-Path $PSScriptRoot 'ClaudeCodeMcp.sln'
if ($Package -and $Configuration -ne 'Release') { throw "-Package packs a Release build; leave out -Configuration $Configuration." }

dotnet build $solution -c $Configuration
if ($LASTEXITCODE -ne 0) { throw "dotnet build failed ($LASTEXITCODE)." }
$module = Join-Path $PSScriptRoot 'out' 'ClaudeCodeMcp'

if ($Test) {
    dotnet test $solution -c $Configuration --no-build
    if ($LASTEXITCODE -ne 0) { throw "dotnet test failed ($LASTEXITCODE)." }
    if (Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0') {
        $result = Invoke-Pester -Path (Join-Path $PSScriptRoot 'tests' 'Pester') -PassThru
        if ($result.FailedCount -gt 0) { throw "$($result.FailedCount) Pester tests failed." }
    } else {
        Write-Warning 'Pester 5 is not installed; skipped tests/Pester (Install-Module Pester -MinimumVersion 5.0).'
    }
}

if ($Package) {
    $packages = Join-Path $PSScriptRoot 'out' 'packages'
    $nupkg = & (Join-Path $PSScriptRoot 'tools' 'New-ModulePackage.ps1') -ModulePath $module -DestinationPath $packages
    Write-Host "Wrote $($nupkg.FullName). Publish it with: Publish-PSResource -NupkgPath $($nupkg.FullName) -Repository PSGallery -ApiKey <key>"
    # The standalone host as a .NET tool and NuGet MCP server package: claude-code-mcp.<version>.nupkg, which points at
    # claude-code-mcp.<rid>.<version>.nupkg (Native AOT: this machine's platform and, on linux-x64, linux-arm64
    # cross-compiled) and claude-code-mcp.any.<version>.nupkg.
    dotnet msbuild (Join-Path $PSScriptRoot 'src' 'ClaudeCodeMcp.Server' 'ClaudeCodeMcp.Server.csproj') -t:PackToolPackages "-p:PackageOutputPath=$packages" -nologo
    if ($LASTEXITCODE -ne 0) { throw "Packing claude-code-mcp failed ($LASTEXITCODE)." }
    Write-Host "Wrote the claude-code-mcp tool packages to $packages. Try one with: dotnet tool install --global --add-source $packages claude-code-mcp"
}

if ($Install) {
    $version = (Import-PowerShellDataFile (Join-Path $module 'ClaudeCodeMcp.psd1')).ModuleVersion
    $userModules = Get-UserModulePath
    $target = Join-Path $userModules 'ClaudeCodeMcp' $version
    if (Test-Path $target) { Remove-Item $target -Recurse -Force }
    New-Item -ItemType Directory -Path $target -Force | Out-Null
    Copy-Item -Path (Join-Path $module '*') -Destination $target -Recurse
    Write-Host "Installed ClaudeCodeMcp $version to $target. Start a new session and run: Import-Module ClaudeCodeMcp"
}
