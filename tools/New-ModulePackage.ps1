#Requires -Version 7.4
<#
.SYNOPSIS
    Packs the built module into ClaudeCodeMcp.<version>.nupkg, the package Publish-PSResource sends to the PowerShell
    Gallery: the module's files without what the build leaves beside them (symbols, XML docs, tests).
.DESCRIPTION
    `./build.ps1 -Package` runs this after the build, and tests/Pester/Package.Tests.ps1 tests it. Compress-PSResource
    (PSResourceGet, in pwsh 7.4 and later) packs a staged copy of the module exactly as `Publish-PSResource -Path` would;
    the version is the built manifest's ModuleVersion, which the build writes from Directory.Build.props. Publish the
    package as it is: Publish-PSResource -NupkgPath <the nupkg> -Repository PSGallery -ApiKey <key>
.EXAMPLE
    ./tools/New-ModulePackage.ps1 -ModulePath ./out/ClaudeCodeMcp -DestinationPath ./out/packages
.OUTPUTS
    System.IO.FileInfo: the nupkg.
#>
[CmdletBinding()]
[OutputType([IO.FileInfo])]
param(
    # The built module folder, out/ClaudeCodeMcp after `dotnet build -c Release`.
    [Parameter(Mandatory)]
    [string] $ModulePath,
    # The folder the nupkg goes to, made if missing; a package of the same version there is replaced.
    [Parameter(Mandatory)]
    [string] $DestinationPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$name = 'ClaudeCodeMcp'
$module = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($ModulePath)
$destination = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($DestinationPath)
$manifest = Join-Path $module "$name.psd1"
if (-not (Test-Path -LiteralPath $manifest)) {
    throw "No module manifest at $manifest. Build the module first: dotnet build -c Release leaves it in out/$name."
}

# What the build leaves that is no part of the module: symbols, XML docs (X.xml beside X.dll; the cmdlet help,
# en-US/X.dll-Help.xml, and the format file stay) and tests.
function Test-BuildLeftover([IO.FileInfo] $File) {
    $File.Extension -eq '.pdb' -or
    ($File.Extension -eq '.xml' -and (Test-Path -LiteralPath (Join-Path $File.DirectoryName "$($File.BaseName).dll"))) -or
    $File.Name -like '*.Tests.*'
}

# PSResourceGet takes the package's name from the folder's manifest; the staged copy keeps the module's layout.
$stage = Join-Path ([IO.Path]::GetTempPath()) ('ccm-package-' + [guid]::NewGuid().ToString('N'))
$staged = Join-Path $stage $name
try {
    foreach ($file in Get-ChildItem -LiteralPath $module -File -Recurse) {
        if (Test-BuildLeftover $file) { continue }
        $target = Join-Path $staged ([IO.Path]::GetRelativePath($module, $file.FullName))
        New-Item -ItemType Directory -Path (Split-Path $target) -Force | Out-Null
        Copy-Item -LiteralPath $file.FullName -Destination $target
    }
    New-Item -ItemType Directory -Path $destination -Force | Out-Null
    $version = (Import-PowerShellDataFile -LiteralPath $manifest).ModuleVersion
    Remove-Item -LiteralPath (Join-Path $destination "$name.$version.nupkg") -ErrorAction Ignore
    Compress-PSResource -Path $staged -DestinationPath $destination -PassThru
} finally {
    Remove-Item -LiteralPath $stage -Recurse -Force -ErrorAction Ignore
}
