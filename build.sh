#!/usr/bin/env bash
# Bootstrap: find or install the .NET SDK that global.json asks for, compile build/ only when what it depends on changed
# (a time check first, then a content hash stamp in the same format build.ps1 writes), then run the compiled build
# directly: a warm run never starts MSBuild. Written for bash 3.2 and BSD tools as well (macOS defaults): no mapfile, no ${x,,}, no sort -V, no GNU-only flags.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TEMP="$ROOT/.nuke/temp"
BIN="$TEMP/build-bin"
STAMP="$TEMP/build.stamp"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DOTNET_CLI_UI_LANGUAGE=en

# sha256sum on Linux, shasum -a 256 on macOS; both print "HASH  PATH" lines.
if command -v sha256sum > /dev/null 2>&1; then SHA256=(sha256sum)
elif command -v shasum > /dev/null 2>&1; then SHA256=(shasum -a 256)
else echo "error: neither sha256sum nor shasum is on PATH; build.sh needs one of them to know when build/ changed" >&2; exit 3
fi

# Top folders of the projects build/*.csproj references by ProjectReference (this repository: src/), into FOLDERS:
# each once, only folders that exist and are not build/. A build that takes the library as a package references none,
# so nothing outside build/ but the files below is hashed. Bash alone, no sed, sort or subshell: the fast path runs
# this on every start, and each process a script starts costs milliseconds on a busy machine.
FOLDERS=()
referenced_folders() {
  local csproj line ref re='<ProjectReference[^>]*Include="([^"]*)"'
  FOLDERS=()
  for csproj in "$ROOT"/build/*.csproj; do
    if [[ ! -f "$csproj" ]]; then continue; fi
    while IFS= read -r line || [[ -n "$line" ]]; do
      while [[ "$line" =~ $re ]]; do
        line="${line#*"${BASH_REMATCH[0]}"}"
        ref="${BASH_REMATCH[1]//\\//}"
        ref="${ref#./}"
        while [[ "$ref" == ../* ]]; do ref="${ref#../}"; done
        if [[ "$ref" != */* ]]; then continue; fi
        ref="${ref%%/*}"
        if [[ ! -d "$ROOT/$ref" || "$ref" == build ]]; then continue; fi
        case " ${FOLDERS[*]-} " in *" $ref "*) ;; *) FOLDERS+=("$ref") ;; esac
      done
    done < "$csproj"
  done
}

# The files the compiled build depends on, relative to the root, one a line in byte order: all of build/ (but bin/obj),
# the referenced project folders' sources, and the root files that steer the compile (SDK, package versions, feeds).
stamp_inputs() (
  cd "$ROOT"
  referenced_folders
  {
    find build -type f -not -path '*/bin/*' -not -path '*/obj/*'
    for folder in ${FOLDERS[@]+"${FOLDERS[@]}"}; do
      find "$folder" -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' \) -not -path '*/bin/*' -not -path '*/obj/*'
    done
    for file in global.json Directory.Build.props Directory.Build.targets Directory.Packages.props nuget.config NuGet.Config .editorconfig; do
      if [[ -f "$file" ]]; then printf '%s\n' "$file"; fi
    done
  } | LC_ALL=C sort -u
)

# The stamp's hash: SHA-256 of the dotnet path, a newline, then "HASH  PATH" per input file (build.ps1 computes the same).
stamp_hash() {
  {
    printf '%s\n' "$1"
    stamp_inputs | tr '\n' '\0' | (cd "$ROOT" && xargs -0 "${SHA256[@]}")
  } | "${SHA256[@]}" | cut -c1-64
}

# Nothing the build depends on is newer than the stamp: no file, and no folder (adding, removing or renaming a file
# changes its folder's time). One find that stops at the first newer entry, and no hashing, so a warm start costs what
# the compiled build costs. A newer input, or a find that fails, only sends the run to the content hash below, which
# has the last word.
nothing_newer_than_stamp() {
  local file newer
  for file in global.json Directory.Build.props Directory.Build.targets Directory.Packages.props nuget.config NuGet.Config .editorconfig; do
    if [[ "$ROOT/$file" -nt "$STAMP" ]]; then return 1; fi
  done
  referenced_folders
  newer="$(cd "$ROOT" && find build ${FOLDERS[@]+"${FOLDERS[@]}"} \( -name bin -o -name obj \) -prune -o -newer "$STAMP" -print -quit)" || return 1
  [[ -z "$newer" ]]
}

# Fast path: the dotnet that compiled the build is still there and nothing changed.
if [[ -f "$STAMP" && -f "$BIN/_build.dll" ]]; then
  read -r stamped_dotnet stamped_hash < "$STAMP" || true
  if [[ -x "${stamped_dotnet:-}" ]]; then
    if nothing_newer_than_stamp; then exec "$stamped_dotnet" "$BIN/_build.dll" "$@"; fi
    # Touched but not changed (a checkout, a formatter that wrote the same bytes): renew the stamp's time, so the next
    # run takes the fast path again. The time is taken before hashing: an edit during the hash is never hidden.
    : > "$TEMP/build.stamp.time"
    if [[ "$(stamp_hash "$stamped_dotnet")" == "${stamped_hash:-}" ]]; then
      touch -r "$TEMP/build.stamp.time" "$STAMP"
      exec "$stamped_dotnet" "$BIN/_build.dll" "$@"
    fi
  fi
fi

# global.json (optional): the SDK version and rollForward policy, applied the way dotnet applies them.
json_value() { sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\{0,1\}\([^\",}]*\)\"\{0,1\}.*/\1/p" "$ROOT/global.json" | head -n 1 | tr -d '[:space:]'; }
required="" policy="" prerelease=false
if [[ -f "$ROOT/global.json" ]]; then
  required="$(json_value version)"
  policy="$(json_value rollForward)"
  [[ "$(json_value allowPrerelease)" == true ]] && prerelease=true
fi
[[ -z "$policy" ]] && policy=latestPatch
case "$policy" in
  patch|latestPatch|feature|latestFeature|minor|latestMinor|major|latestMajor|disable) ;;
  *) echo "error: global.json: rollForward '$policy' is not one of patch, feature, minor, major, latestPatch, latestFeature, latestMinor, latestMajor, disable" >&2; exit 3 ;;
esac

# "10.0.401" -> "10 0 4 1" (major, minor, feature band, patch); a pre-release suffix is cut off here and judged apart.
version_parts() {
  local major minor build
  IFS=. read -r major minor build <<< "${1%%-*}"
  build="${build:-0}"
  printf '%d %d %d %d\n' "$((10#${major:-0}))" "$((10#${minor:-0}))" "$((10#$build / 100))" "$((10#$build % 100))"
}

# Does an installed SDK version satisfy global.json? Which one dotnet then picks does not matter here, only that one exists.
accepts() {
  local version="$1" vM vm vf vp rM rm rf rp
  [[ -z "$required" ]] && return 0
  [[ "$version" == *-* && "$prerelease" != true && "$required" != *-* ]] && return 1
  read -r vM vm vf vp <<< "$(version_parts "$version")"
  read -r rM rm rf rp <<< "$(version_parts "$required")"
  case "$policy" in
    disable) [[ "$version" == "$required" ]] ;;
    patch|latestPatch) (( vM == rM && vm == rm && vf == rf && vp >= rp )) ;;
    feature|latestFeature) (( vM == rM && vm == rm && (vf > rf || (vf == rf && vp >= rp)) )) ;;
    minor|latestMinor) (( vM == rM && (vm > rm || (vm == rm && (vf > rf || (vf == rf && vp >= rp)))) )) ;;
    major|latestMajor) (( vM > rM || (vM == rM && (vm > rm || (vm == rm && (vf > rf || (vf == rf && vp >= rp))))) )) ;;
  esac
}

satisfies() {
  local version
  [[ -x "$1" ]] || return 1
  for version in $("$1" --list-sdks 2> /dev/null | cut -d' ' -f1); do
    accepts "$version" && return 0
  done
  return 1
}

wanted="${required:-any}${required:+, rollForward $policy}"
DOTNET="$(command -v dotnet || true)"
if [[ -z "$DOTNET" ]] || ! satisfies "$DOTNET"; then
  DOTNET="$TEMP/dotnet/dotnet"
  if ! satisfies "$DOTNET"; then
    channel="10.0"
    [[ -n "$required" ]] && channel="$(printf '%s' "$required" | cut -d. -f1-2)"
    echo "Installing .NET SDK $channel (global.json: $wanted) into .nuke/temp/dotnet ..." >&2
    mkdir -p "$TEMP"
    if ! curl -fsSL --retry 2 --max-time 60 https://dot.net/v1/dotnet-install.sh -o "$TEMP/dotnet-install.sh"; then
      echo "error: no .NET SDK matching global.json ($wanted) on PATH, and the dotnet-install script could not be downloaded (offline?). Install the SDK from https://dot.net and retry." >&2
      exit 3
    fi
    install=(--channel "$channel")
    [[ "$policy" == disable || "$policy" == *atch ]] && [[ -n "$required" ]] && install=(--version "$required")
    bash "$TEMP/dotnet-install.sh" "${install[@]}" --install-dir "$TEMP/dotnet" --no-path >&2 \
      || { echo "error: dotnet-install failed; install a .NET SDK matching global.json ($wanted) from https://dot.net" >&2; exit 3; }
  fi
  export DOTNET_ROOT="$TEMP/dotnet"
fi

mkdir -p "$TEMP"
: > "$TEMP/build.stamp.time"
hash="$(stamp_hash "$DOTNET")"
log="$TEMP/build-compile.log"
extra=()
[[ -n "${CI:-}" ]] && extra+=(-nodeReuse:false)
# Published ReadyToRun for this machine's runtime: every later start skips most JIT work. ReadyToRun needs the
# Crossgen2 pack from the package feed; a machine that cannot get it falls back to a plain compile (slower start, same
# behaviour). Set PIPELINE_READYTORUN=0 to skip it.
# ${extra[@]+...}: bash 3.2 treats an empty array as unset under set -u.
compiled=false
if [[ "${PIPELINE_READYTORUN:-1}" != 0 ]]; then
  if "$DOTNET" publish "$ROOT/build/_build.csproj" -c Release -o "$BIN" --use-current-runtime --self-contained false -p:PublishReadyToRun=true \
      -nologo -v quiet -clp:NoSummary ${extra[@]+"${extra[@]}"} > "$log" 2>&1; then
    compiled=true
  elif ! grep -qE 'NETSDK1094|NETSDK1095|Crossgen2|NU110[12]' "$log"; then
    cat "$log" >&2
    echo "error: the build project did not compile (log: .nuke/temp/build-compile.log)" >&2
    exit 3
  else
    echo "note: ReadyToRun is not available here (no Crossgen2 pack in the package feed); compiling without it" >&2
  fi
fi
if [[ "$compiled" != true ]] && ! "$DOTNET" build "$ROOT/build/_build.csproj" -c Release -o "$BIN" -nologo -v quiet -clp:NoSummary ${extra[@]+"${extra[@]}"} > "$log" 2>&1; then
  cat "$log" >&2
  echo "error: the build project did not compile (log: .nuke/temp/build-compile.log)" >&2
  exit 3
fi
# Compiler warnings are shown (each once) whenever the build is compiled, so they are seen while they are cheap to fix.
grep -E ': warning [A-Z]+[0-9]+:' "$log" | sort -u >&2 || true
printf '%s %s\n' "$DOTNET" "$hash" > "$STAMP"
touch -r "$TEMP/build.stamp.time" "$STAMP"
exec "$DOTNET" "$BIN/_build.dll" "$@"
