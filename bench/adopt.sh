#!/usr/bin/env bash
# Adoption, measured on fixture (a), tests/data/adopt/ledger (a library + xunit, Bookkeeping.sln):
#   first green - a fresh clone of the fixture: `pipeline setup`, then `./build.sh Test` (first compile of the build,
#                 then the tests), i.e. "empty repository to first green build". Target: setup + first compile < 60 s.
#   peer        - the same clone without Pipeline: plain `dotnet test Bookkeeping.sln` (what a team ran before).
#   warm plan   - the packaged build's warm `./build.sh --plan` vs this repository's (source-referenced, 14 components),
#                 median of 7 each. Target: within 10 %.
# NuGet downloads are excluded: one untimed warm-up clone restores everything first (the SDK is on the machine).
# The library comes from a local folder feed: FEED=/path (with VERSION=its version) reuses one; else this commit is
# packed into a fresh feed first (untimed; a Release pack of 13 projects takes minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
work="$(mktemp -d /tmp/adopt-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
unset CI GITHUB_ACTIONS GITHUB_TOKEN GH_TOKEN GCP_SA_KEY
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }
echo "commit $(git rev-parse --short=12 HEAD), load: $(uptime | sed 's/.*load average: //')"

if [[ -z "${FEED:-}" ]]; then
  VERSION="0.0.1-bench.$(date +%s)"
  FEED="$work/feed"
  python3 - "$repo" "$work/src.slnf" <<'PY'
import glob, json, os, sys
root, slnf = sys.argv[1], sys.argv[2]
projects = sorted(os.path.relpath(p, root) for p in glob.glob(root + "/src/*/*.csproj"))
json.dump({"solution": {"path": os.path.relpath(root + "/Pipeline.sln", os.path.dirname(slnf)), "projects": projects}}, open(slnf, "w"))
PY
  echo "packing this commit into $FEED as $VERSION (untimed) ..."
  dotnet pack "$work/src.slnf" -c Release -o "$FEED" --artifacts-path "$work/pack" -nologo -v q -clp:NoSummary "-p:Version=$VERSION" > "$work/pack.log" 2>&1 || { tail -20 "$work/pack.log"; exit 1; }
fi
: "${VERSION:?VERSION must name the packages in FEED}"
dotnet tool install --tool-path "$work/tools" Pipeline.Setup --version "$VERSION" --add-source "$FEED" > /dev/null
pipeline="$work/tools/pipeline"

# A fresh repository: the fixture committed on main, plus the team's nuget.config naming the feed.
fresh() {
  local dir="$work/$1"
  cp -r "$repo/tests/data/adopt/ledger" "$dir"
  printf '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSources>\n    <add key="pipeline-local" value="%s" />\n  </packageSources>\n</configuration>\n' "$FEED" > "$dir/nuget.config"
  (cd "$dir" && git init -q -b main && git add -A && git -c user.name=b -c user.email=b@e commit -qm fixture)
  echo "$dir"
}
adopt() { (cd "$1" && "$pipeline" setup > setup.log && ./build.sh Test > test.log 2>&1) || { tail -30 "$1/test.log" "$1/setup.log"; exit 1; }; }
# Each clone gets a target cache of its own: the timed Test must run, not be replayed from the warm-up's result.
cache_for() { export PIPELINE_CACHE_DIR="$work/cache-$1"; }

cache_for warmup; warm="$(fresh warmup)"; adopt "$warm"   # untimed: every package restored once

cache_for first-green; a="$(fresh first-green)"
start=$(now); (cd "$a" && "$pipeline" setup > setup.log); t_setup=$(since "$start")
start=$(now); (cd "$a" && ./build.sh --plan > plan.log 2>&1) || { tail -30 "$a/plan.log"; exit 1; }; t_compile=$(since "$start")
start=$(now); (cd "$a" && ./build.sh Test > test.log 2>&1) || { tail -30 "$a/test.log"; exit 1; }; t_test=$(since "$start")
if ! grep -q 'Tests: 3 passed, 0 failed, 0 skipped' "$a/test.log" || grep -q 'Test: cached' "$a/test.log"; then
  echo "fixture (a) did not run its tests green"; tail -30 "$a/test.log"; exit 1
fi

p="$(fresh peer)"
start=$(now); (cd "$p" && dotnet test Bookkeeping.sln -nologo -v q > test.log 2>&1) || { tail -30 "$p/test.log"; exit 1; }; t_peer=$(since "$start")

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
plan_ms() {
  local dir="$1" start
  (cd "$dir" && ./build.sh --plan > /dev/null 2>&1)   # warm: compiled, stamp written
  for _ in 1 2 3 4 5 6 7; do
    start=$(now); (cd "$dir" && ./build.sh --plan > /dev/null 2>&1); echo "($(now) - $start) * 1000" | bc
  done | median
}
unset PIPELINE_CACHE_DIR
ours_plan=$(plan_ms "$a")
this_plan=$(plan_ms "$repo")

total=$(echo "$t_setup + $t_compile + $t_test" | bc)
printf 'first green, fixture (a): setup %.1f s + first compile (./build.sh --plan) %.1f s + ./build.sh Test %.1f s = %.1f s\n' "$t_setup" "$t_compile" "$t_test" "$total"
printf '  setup + first compile:  %.1f s (target < 60 s)\n' "$(echo "$t_setup + $t_compile" | bc)"
printf 'peer dotnet test Bookkeeping.sln (fresh clone): %.1f s   first green / peer %.2f\n' "$t_peer" "$(echo "$total / $t_peer" | bc -l)"
printf 'warm ./build.sh --plan, median of 7: packaged build %.0f ms, this repository %.0f ms, ratio %.2f (target <= 1.10)\n' "$ours_plan" "$this_plan" "$(echo "$ours_plan / $this_plan" | bc -l)"
echo "load after: $(uptime | sed 's/.*load average: //')"
