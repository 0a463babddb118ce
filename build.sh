#!/usr/bin/env bash
# Bootstrap: find or install the .NET SDK that global.json asks for, compile build/ only when its sources changed
# (content hash stamp), then run the compiled build directly: a warm run never starts MSBuild.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TEMP="$ROOT/.nuke/temp"
BIN="$TEMP/build-bin"
STAMP="$TEMP/build.stamp"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DOTNET_CLI_UI_LANGUAGE=en

sources_hash() {
  # Everything that changes the compiled build: its code, the library it references, SDK and package pins.
  {
    printf '%s\n' "$1"
    local roots=(build); [[ -d "$ROOT/src" ]] && roots+=(src)
    cd "$ROOT" && find "${roots[@]}" -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' \) \
      -not -path '*/bin/*' -not -path '*/obj/*' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    sha256sum global.json Directory.Build.props Directory.Packages.props
  } | sha256sum | cut -c1-64
}

# Fast path: the dotnet that compiled the build is still there and nothing changed.
if [[ -f "$STAMP" && -f "$BIN/_build.dll" ]]; then
  read -r stamped_dotnet stamped_hash < "$STAMP" || true
  if [[ -x "${stamped_dotnet:-}" && "$(sources_hash "$stamped_dotnet")" == "${stamped_hash:-}" ]]; then
    exec "$stamped_dotnet" "$BIN/_build.dll" "$@"
  fi
fi

required="$(sed -n 's/.*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$ROOT/global.json")"
satisfies() { # rollForward latestFeature: same major.minor, feature band >= the pinned one
  local dotnet="$1" version
  for version in $("$dotnet" --list-sdks 2>/dev/null | cut -d' ' -f1); do
    [[ "${version%.*}" == "${required%.*}" && "${version##*.}" -ge "${required##*.}" ]] && return 0
  done
  return 1
}

DOTNET="$(command -v dotnet || true)"
if [[ -z "$DOTNET" ]] || ! satisfies "$DOTNET"; then
  DOTNET="$TEMP/dotnet/dotnet"
  if [[ ! -x "$DOTNET" ]] || ! satisfies "$DOTNET"; then
    echo "Installing .NET SDK ${required%.*}.x (global.json: $required) into .nuke/temp/dotnet ..." >&2
    mkdir -p "$TEMP"
    if ! curl -fsSL --retry 2 https://dot.net/v1/dotnet-install.sh -o "$TEMP/dotnet-install.sh"; then
      echo "error: no .NET SDK matching global.json ($required, rollForward latestFeature) on PATH, and the dotnet-install script could not be downloaded (offline?). Install the SDK from https://dot.net and retry." >&2
      exit 3
    fi
    bash "$TEMP/dotnet-install.sh" --channel "${required%.*}" --install-dir "$TEMP/dotnet" --no-path >&2 \
      || { echo "error: dotnet-install failed; install .NET SDK $required or later from https://dot.net" >&2; exit 3; }
  fi
  export DOTNET_ROOT="$TEMP/dotnet"
fi

mkdir -p "$TEMP"
hash="$(sources_hash "$DOTNET")"
log="$TEMP/build-compile.log"
extra=()
[[ -n "${CI:-}" ]] && extra+=(-nodeReuse:false)
if ! "$DOTNET" build "$ROOT/build/_build.csproj" -c Release -o "$BIN" -nologo -v quiet -clp:NoSummary "${extra[@]}" > "$log" 2>&1; then
  cat "$log" >&2
  echo "error: the build project did not compile (log: .nuke/temp/build-compile.log)" >&2
  exit 3
fi
# Compiler warnings are shown (each once) whenever the build is compiled, so they are seen while they are cheap to fix.
grep -E ': warning [A-Z]+[0-9]+:' "$log" | sort -u >&2 || true
printf '%s %s\n' "$DOTNET" "$hash" > "$STAMP"
exec "$DOTNET" "$BIN/_build.dll" "$@"
