#!/usr/bin/env bash
# What coverage costs: wall time of `./build.sh Test` against `./build.sh Coverage` in the same run, plus plain
# `dotnet test` of the same solution without coverlet as the floor (the peer every .NET CI starts from).
# Coverage reuses Test's run (coverlet collects during Test), so its extra cost is the report and the gates.
# Budget (issue 3): Coverage <= 1.15 x Test. Usage: bench/coverage.sh [RUNS=1] ; figures go to docs/quality.md.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-1}"
solution="$(ls *.sln *.slnx 2>/dev/null | head -1)"

# Compile the build and the solution once, so no measured run pays for a cold build.
./build.sh --plan > /dev/null
dotnet build "$solution" -nologo -v quiet > /dev/null

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
declare -A samples
measure() { # name, command...
  local name="$1" start end code; shift
  start=$(date +%s%N); set +e; "$@" > ".nuke/temp/bench-$name.log" 2>&1; code=$?; set -e; end=$(date +%s%N)
  samples[$name]+="$(( (end - start) / 1000000 )) "
  [[ $code == 0 ]] || echo "note: '$*' exited with $code (see .nuke/temp/bench-$name.log)" >&2
}

mkdir -p .nuke/temp
for _ in $(seq "$RUNS"); do
  # Interleaved, so drift on a shared machine hits all three alike.
  measure plain dotnet test "$solution" --no-build --nologo
  measure test ./build.sh Test
  measure coverage ./build.sh Coverage
done

plain=$(tr ' ' '\n' <<< "${samples[plain]}" | grep . | median)
test=$(tr ' ' '\n' <<< "${samples[test]}" | grep . | median)
coverage=$(tr ' ' '\n' <<< "${samples[coverage]}" | grep . | median)
echo "solution:                          $solution, runs per figure: $RUNS (median)"
echo "dotnet test --no-build (no cover): ${plain} ms"
echo "./build.sh Test (with coverlet):   ${test} ms"
echo "./build.sh Coverage:               ${coverage} ms"
awk -v a="$test" -v b="$plain" 'BEGIN { printf "ratio Test / plain dotnet test:    %.2fx\n", a / b }'
awk -v a="$coverage" -v b="$test" 'BEGIN { printf "ratio Coverage / Test:             %.2fx (budget 1.15x: %s)\n", a / b, (a / b <= 1.15 ? "met" : "NOT met") }'
