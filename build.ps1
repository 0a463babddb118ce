#!/usr/bin/env pwsh
# PowerShell twin of build.sh: the same SDK check (global.json's rollForward applied as dotnet applies it), the same
# inputs and stamp format (switching between the two scripts never recompiles), the same fast path.
$ErrorActionPreference = 'Stop'
$Root = $PSScriptRoot
$Temp = Join-Path $Root '.nuke/temp'
$Bin = Join-Path $Temp 'build-bin'
$Stamp = Join-Path $Temp 'build.stamp'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'; $env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'; $env:DOTNET_CLI_UI_LANGUAGE = 'en'

function Fail([string] $Message) { [Console]::Error.WriteLine("error: $Message"); exit 3 }

# Top folders of the projects build/*.csproj references by ProjectReference (src/ here; none for a packaged build).
function Get-ReferencedFolders {
    Get-ChildItem (Join-Path $Root 'build') -Filter '*.csproj' -File | ForEach-Object {
        [regex]::Matches((Get-Content $_.FullName -Raw), '<ProjectReference[^>]*Include="([^"]*)"') | ForEach-Object {
            $ref = $_.Groups[1].Value.Replace('\', '/') -replace '^(\./)?(\.\./)+', ''
            if ($ref.Contains('/')) { $ref.Substring(0, $ref.IndexOf('/')) }
        }
    } | Sort-Object -Unique
}

# The files the compiled build depends on, relative with '/', in byte order (build.sh: LC_ALL=C sort).
function Get-StampInputs {
    $relative = { param($f) [IO.Path]::GetRelativePath($Root, $f.FullName).Replace('\', '/') }
    $notBinObj = { param($p) $p -notmatch '(^|/)(bin|obj)/' }
    $files = [Collections.Generic.List[string]]::new()
    Get-ChildItem (Join-Path $Root 'build') -Recurse -File | ForEach-Object { & $relative $_ } | Where-Object { & $notBinObj $_ } | ForEach-Object { $files.Add($_) }
    foreach ($folder in Get-ReferencedFolders) {
        if ($folder -eq 'build' -or -not (Test-Path (Join-Path $Root $folder) -PathType Container)) { continue }
        Get-ChildItem (Join-Path $Root $folder) -Recurse -File -Include *.cs, *.csproj, *.props, *.targets |
            ForEach-Object { & $relative $_ } | Where-Object { & $notBinObj $_ } | ForEach-Object { $files.Add($_) }
    }
    foreach ($file in 'global.json', 'Directory.Build.props', 'Directory.Build.targets', 'Directory.Packages.props', 'nuget.config', 'NuGet.Config', '.editorconfig') {
        if (Test-Path (Join-Path $Root $file) -PathType Leaf) { $files.Add($file) }
    }
    $sorted = [string[]]($files | Select-Object -Unique)
    [Array]::Sort($sorted, [StringComparer]::Ordinal)
    return $sorted
}

function Get-Sha256([byte[]] $Bytes) {
    return [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($Bytes)).ToLowerInvariant()
}

# SHA-256 of the dotnet path, a newline, then "HASH  PATH" per input file: exactly the text build.sh hashes.
function Get-StampHash([string] $Dotnet) {
    $text = [Text.StringBuilder]::new()
    [void]$text.Append("$Dotnet`n")
    foreach ($file in Get-StampInputs) {
        [void]$text.Append((Get-Sha256 ([IO.File]::ReadAllBytes((Join-Path $Root $file)))) + "  $file`n")
    }
    return Get-Sha256 ([Text.Encoding]::UTF8.GetBytes($text.ToString()))
}

# Any file or folder below $Folder newer than $Since, bin/ and obj/ left out (not even listed: they hold thousands of files).
function Test-NewerBelow([IO.DirectoryInfo] $Folder, [DateTime] $Since) {
    foreach ($entry in $Folder.EnumerateFileSystemInfos()) {
        if ($entry -is [IO.DirectoryInfo] -and $entry.Name -in 'bin', 'obj') { continue }
        if ($entry.LastWriteTimeUtc -gt $Since) { return $true }
        if ($entry -is [IO.DirectoryInfo] -and (Test-NewerBelow $entry $Since)) { return $true }
    }
    return $false
}

# Nothing the build depends on is newer than the stamp: no file and no folder (adding, removing or renaming a file
# changes its folder's time). A newer input only sends the run to the content hash, which has the last word.
function Test-NothingNewerThanStamp {
    $since = [IO.File]::GetLastWriteTimeUtc($Stamp)
    foreach ($file in 'global.json', 'Directory.Build.props', 'Directory.Build.targets', 'Directory.Packages.props', 'nuget.config', 'NuGet.Config', '.editorconfig') {
        $path = Join-Path $Root $file
        if ((Test-Path $path -PathType Leaf) -and [IO.File]::GetLastWriteTimeUtc($path) -gt $since) { return $false }
    }
    $folders = @('build') + @(Get-ReferencedFolders | Where-Object { $_ -ne 'build' -and (Test-Path (Join-Path $Root $_) -PathType Container) })
    foreach ($folder in $folders) {
        $top = [IO.DirectoryInfo]::new((Join-Path $Root $folder))
        if ($top.LastWriteTimeUtc -gt $since -or (Test-NewerBelow $top $since)) { return $false }
    }
    return $true
}

# Fast path: the dotnet that compiled the build is still there and nothing changed.
if ((Test-Path $Stamp) -and (Test-Path (Join-Path $Bin '_build.dll'))) {
    $stamped = (Get-Content $Stamp -Raw).Trim() -split ' ', 2
    if ($stamped.Count -eq 2 -and (Test-Path $stamped[0])) {
        $current = Test-NothingNewerThanStamp
        if (-not $current) {
            # Touched but not changed (a checkout, a formatter that wrote the same bytes): renew the stamp's time, taken
            # before hashing so an edit during the hash is never hidden, and the next run takes the fast path again.
            $checkedAt = [DateTime]::UtcNow
            $current = (Get-StampHash $stamped[0]) -eq $stamped[1]
            if ($current) { [IO.File]::SetLastWriteTimeUtc($Stamp, $checkedAt) }
        }
        if ($current) {
            & $stamped[0] (Join-Path $Bin '_build.dll') @args
            exit $LASTEXITCODE
        }
    }
}

# global.json (optional): the SDK version and rollForward policy, applied the way dotnet applies them.
$required = ''; $policy = ''; $prerelease = $false
$globalJson = Join-Path $Root 'global.json'
if (Test-Path $globalJson) {
    try { $sdk = (Get-Content $globalJson -Raw | ConvertFrom-Json).sdk } catch { Fail "global.json is not valid JSON: $($_.Exception.Message)" }
    if ($sdk) { $required = [string]$sdk.version; $policy = [string]$sdk.rollForward; $prerelease = $sdk.allowPrerelease -eq $true }
}
if (-not $policy) { $policy = 'latestPatch' }
$policies = 'patch', 'latestPatch', 'feature', 'latestFeature', 'minor', 'latestMinor', 'major', 'latestMajor', 'disable'
if ($policies -cnotcontains $policy) { Fail "global.json: rollForward '$policy' is not one of $($policies -join ', ')" }

# "10.0.401" -> (10, 0, 4, 1): major, minor, feature band, patch; a pre-release suffix is judged apart.
function Get-VersionParts([string] $Version) {
    $numbers = ($Version -replace '-.*', '').Split('.') + @('0', '0', '0')
    $build = [int]$numbers[2]
    return [int]$numbers[0], [int]$numbers[1], [Math]::Floor($build / 100), ($build % 100)
}

function Test-Accepts([string] $Version) {
    if (-not $required) { return $true }
    if ($Version.Contains('-') -and -not $prerelease -and -not $required.Contains('-')) { return $false }
    $v = Get-VersionParts $Version; $r = Get-VersionParts $required
    $sameOrLater = { param($from) for ($i = $from; $i -lt 4; $i++) { if ($v[$i] -ne $r[$i]) { return $v[$i] -gt $r[$i] } }; return $true }
    switch -CaseSensitive ($policy) {
        'disable' { return $Version -eq $required }
        { $_ -in 'patch', 'latestPatch' } { return $v[0] -eq $r[0] -and $v[1] -eq $r[1] -and $v[2] -eq $r[2] -and $v[3] -ge $r[3] }
        { $_ -in 'feature', 'latestFeature' } { return $v[0] -eq $r[0] -and $v[1] -eq $r[1] -and (& $sameOrLater 2) }
        { $_ -in 'minor', 'latestMinor' } { return $v[0] -eq $r[0] -and (& $sameOrLater 1) }
        default { return (& $sameOrLater 0) }
    }
}

function Test-Sdk([string] $Dotnet) {
    if (-not $Dotnet -or -not (Test-Path $Dotnet)) { return $false }
    foreach ($line in & $Dotnet --list-sdks 2>$null) {
        if (Test-Accepts ($line -split ' ')[0]) { return $true }
    }
    return $false
}

$wanted = if ($required) { "$required, rollForward $policy" } else { 'any' }
$dotnet = (Get-Command dotnet -ErrorAction SilentlyContinue).Source
if (-not (Test-Sdk $dotnet)) {
    $dotnet = Join-Path $Temp 'dotnet/dotnet'
    if ($IsWindows) { $dotnet += '.exe' }
    if (-not (Test-Sdk $dotnet)) {
        $channel = if ($required) { ($required.Split('.')[0..1]) -join '.' } else { '10.0' }
        [Console]::Error.WriteLine("Installing .NET SDK $channel (global.json: $wanted) into .nuke/temp/dotnet ...")
        New-Item -ItemType Directory -Force $Temp | Out-Null
        $script = Join-Path $Temp 'dotnet-install.ps1'
        try { Invoke-WebRequest 'https://dot.net/v1/dotnet-install.ps1' -OutFile $script -UseBasicParsing -TimeoutSec 60 }
        catch { Fail "no .NET SDK matching global.json ($wanted) on PATH, and the dotnet-install script could not be downloaded (offline?). Install the SDK from https://dot.net and retry." }
        $install = if ($required -and ($policy -eq 'disable' -or $policy -like '*atch')) { @{ Version = $required } } else { @{ Channel = $channel } }
        & $script @install -InstallDir (Join-Path $Temp 'dotnet') -NoPath
        if (-not (Test-Sdk $dotnet)) { Fail "dotnet-install failed; install a .NET SDK matching global.json ($wanted) from https://dot.net" }
    }
    $env:DOTNET_ROOT = Join-Path $Temp 'dotnet'
}

New-Item -ItemType Directory -Force $Temp | Out-Null
$compiledAt = [DateTime]::UtcNow
$hash = Get-StampHash $dotnet
$log = Join-Path $Temp 'build-compile.log'
$extra = @(); if ($env:CI) { $extra += '-nodeReuse:false' }
# Published ReadyToRun, as build.sh does; without the Crossgen2 pack in the feed, a plain compile. PIPELINE_READYTORUN=0 skips it.
$compiled = $false
if ($env:PIPELINE_READYTORUN -ne '0') {
    & $dotnet publish (Join-Path $Root 'build/_build.csproj') -c Release -o $Bin --use-current-runtime --self-contained false -p:PublishReadyToRun=true -nologo -v quiet -clp:NoSummary @extra *> $log
    if ($LASTEXITCODE -eq 0) { $compiled = $true }
    elseif (-not (Select-String -Path $log -Pattern 'NETSDK1094|NETSDK1095|Crossgen2|NU110[12]' -Quiet)) {
        Get-Content $log | ForEach-Object { [Console]::Error.WriteLine($_) }
        Fail 'the build project did not compile (log: .nuke/temp/build-compile.log)'
    }
    else { [Console]::Error.WriteLine('note: ReadyToRun is not available here (no Crossgen2 pack in the package feed); compiling without it') }
}
if (-not $compiled) {
    & $dotnet build (Join-Path $Root 'build/_build.csproj') -c Release -o $Bin -nologo -v quiet -clp:NoSummary @extra *> $log
    if ($LASTEXITCODE -ne 0) {
        Get-Content $log | ForEach-Object { [Console]::Error.WriteLine($_) }
        Fail 'the build project did not compile (log: .nuke/temp/build-compile.log)'
    }
}
# Compiler warnings are shown (each once) whenever the build is compiled.
Get-Content $log | Where-Object { $_ -match ': warning [A-Z]+[0-9]+:' } | Sort-Object -Unique | ForEach-Object { [Console]::Error.WriteLine($_) }
[IO.File]::WriteAllText($Stamp, "$dotnet $hash`n")
[IO.File]::SetLastWriteTimeUtc($Stamp, $compiledAt)
& $dotnet (Join-Path $Bin '_build.dll') @args
exit $LASTEXITCODE
