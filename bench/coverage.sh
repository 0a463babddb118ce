#!/usr/bin/env bash
# What coverage costs: wall time of `./build.sh Test` against `./build.sh Coverage` in the same run, plus plain
# `dotnet test` of the same solution without coverlet as the floor (the peer every .NET CI starts from).
# Coverage reuses Test's run (coverlet collects during Test), so its extra cost is the report and the gates.
# Budget (issue 3): Coverage <= 1.15 x Test. Usage: bench/coverage.sh [RUNS=1] ; figures go to docs/quality.md.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-1}"
solution="$(find . -maxdepth 1 \( -name '*.sln' -o -name '*.slnx' \) -printf '%f\n' | sort | head -1)"

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
awk -v a="$coverage" -v b="$test" 'BEGIN { printf "ratio Coverage / Test (wall):      %.2fx (budget 1.15x: %s)\n", a / b, (a / b <= 1.15 ? "met" : "NOT met") }'

# The same ratio inside one Coverage run, from its summary table (Test and Coverage rows): free of the
# run-to-run noise of a shared machine, which on 2 busy cores is larger than the report itself.
seconds() { awk '{ n = split($0, p, ":"); if (n == 2) print p[1] * 60 + p[2]; else { sub(/s$/, ""); print } }'; }
row() { grep -E "^$1 +(succeeded|failed) " ".nuke/temp/bench-coverage.log" | tail -1 | awk '{print $3}' | seconds; }
in_test=$(row Test); in_cov=$(row Coverage)
echo "in the Coverage run: Test ${in_test} s, Coverage target (report + gates) ${in_cov} s"
awk -v t="$in_test" -v c="$in_cov" 'BEGIN { printf "ratio (Test + Coverage) / Test:    %.3fx (budget 1.15x: %s)\n", (t + c) / t, ((t + c) / t <= 1.15 ? "met" : "NOT met") }'
