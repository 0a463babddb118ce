#!/usr/bin/env pwsh
# Windows/PowerShell twin of build.sh: same SDK check, same content-hash stamp, same fast path.
$ErrorActionPreference = 'Stop'
$Root = $PSScriptRoot
$Temp = Join-Path $Root '.nuke/temp'
$Bin = Join-Path $Temp 'build-bin'
$Stamp = Join-Path $Temp 'build.stamp'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'; $env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

function Get-SourcesHash([string] $Dotnet) {
    $files = @('build', 'src') | Where-Object { Test-Path (Join-Path $Root $_) } | ForEach-Object {
        Get-ChildItem (Join-Path $Root $_) -Recurse -File -Include *.cs, *.csproj, *.props, *.targets |
            Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' }
    } | Sort-Object FullName
    $files += @('global.json', 'Directory.Build.props', 'Directory.Packages.props') | ForEach-Object { Get-Item (Join-Path $Root $_) }
    $text = $Dotnet + "`n" + (($files | ForEach-Object { (Get-FileHash $_.FullName -Algorithm SHA256).Hash + ' ' + $_.FullName.Substring($Root.Length) }) -join "`n")
    $sha = [System.Security.Cryptography.SHA256]::Create()
    return [System.BitConverter]::ToString($sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($text))).Replace('-', '').ToLowerInvariant()
}

if ((Test-Path $Stamp) -and (Test-Path (Join-Path $Bin '_build.dll'))) {
    $stamped = (Get-Content $Stamp -Raw).Trim() -split ' ', 2
    if ((Test-Path $stamped[0]) -and ((Get-SourcesHash $stamped[0]) -eq $stamped[1])) {
        & $stamped[0] (Join-Path $Bin '_build.dll') @args
        exit $LASTEXITCODE
    }
}

$required = (Get-Content (Join-Path $Root 'global.json') -Raw | ConvertFrom-Json).sdk.version
$prefix = $required.Substring(0, $required.LastIndexOf('.'))
$band = [int]$required.Substring($required.LastIndexOf('.') + 1)
function Test-Sdk([string] $Dotnet) {
    if (-not $Dotnet -or -not (Test-Path $Dotnet)) { return $false }
    foreach ($line in & $Dotnet --list-sdks) {
        $version = ($line -split ' ')[0]
        if ($version.Substring(0, $version.LastIndexOf('.')) -eq $prefix -and [int]($version.Substring($version.LastIndexOf('.') + 1) -replace '-.*', '') -ge $band) { return $true }
    }
    return $false
}

$dotnet = (Get-Command dotnet -ErrorAction SilentlyContinue).Source
if (-not (Test-Sdk $dotnet)) {
    $dotnet = Join-Path $Temp 'dotnet/dotnet'
    if ($IsWindows) { $dotnet += '.exe' }
    if (-not (Test-Sdk $dotnet)) {
        Write-Host "Installing .NET SDK $prefix.x (global.json: $required) into .nuke/temp/dotnet ..."
        New-Item -ItemType Directory -Force $Temp | Out-Null
        $script = Join-Path $Temp 'dotnet-install.ps1'
        try { Invoke-WebRequest 'https://dot.net/v1/dotnet-install.ps1' -OutFile $script -UseBasicParsing }
        catch { Write-Error "No .NET SDK matching global.json ($required) and the dotnet-install script could not be downloaded (offline?). Install the SDK from https://dot.net and retry."; exit 3 }
        & $script -Channel $prefix -InstallDir (Join-Path $Temp 'dotnet') -NoPath
    }
    $env:DOTNET_ROOT = Join-Path $Temp 'dotnet'
}

New-Item -ItemType Directory -Force $Temp | Out-Null
$hash = Get-SourcesHash $dotnet
$log = Join-Path $Temp 'build-compile.log'
& $dotnet build (Join-Path $Root 'build/_build.csproj') -c Release -o $Bin -nologo -v quiet -clp:NoSummary *> $log
if ($LASTEXITCODE -ne 0) { Get-Content $log; Write-Error 'The build project did not compile (log: .nuke/temp/build-compile.log)'; exit 3 }
# Compiler warnings are shown (each once) whenever the build is compiled.
Get-Content $log | Where-Object { $_ -match ': warning [A-Z]+[0-9]+:' } | Sort-Object -Unique | ForEach-Object { [Console]::Error.WriteLine($_) }
Set-Content $Stamp "$dotnet $hash"
& $dotnet (Join-Path $Bin '_build.dll') @args
exit $LASTEXITCODE
