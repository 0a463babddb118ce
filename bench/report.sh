#!/usr/bin/env bash
# What the run report (artifacts/report/index.html) adds to a run: the same warm ./build.sh run with the report and with
# PIPELINE_REPORT=off, alternated, medians of RUNS; plus the report's own writing time from the verbose log line. The run
# is TARGET (default SystemTools: quick, no side effect once the tools are there). To include a tests section, run it in a
# checkout whose artifacts/test-results/ holds TRX files and name TARGET=Test (served from the cache when warm).
# Target: the report adds at most 100 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-9}"
TARGET="${TARGET:-SystemTools}"

./build.sh "$TARGET" > /dev/null   # compile once and warm: the figures are for warm runs

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
with=() without=() writing=()
for _ in $(seq "$RUNS"); do
  start=$(date +%s%N); ./build.sh "$TARGET" --verbosity verbose > .nuke/temp/bench-report.log; end=$(date +%s%N)
  with+=($(( (end - start) / 1000000 )))
  writing+=("$(sed -n 's/.*Report written in \([0-9.]*\) ms.*/\1/p' .nuke/temp/bench-report.log | tail -1)")
  start=$(date +%s%N); PIPELINE_REPORT=off ./build.sh "$TARGET" --verbosity verbose > /dev/null; end=$(date +%s%N)
  without+=($(( (end - start) / 1000000 )))
done
with_ms=$(printf '%s\n' "${with[@]}" | median)
without_ms=$(printf '%s\n' "${without[@]}" | median)
writing_ms=$(printf '%s\n' "${writing[@]}" | median)
echo "load:                               $(uptime | sed 's/.*load average: //')"
echo "runs per figure:                    $RUNS (median, alternated)"
echo "./build.sh $TARGET with the report:    ${with_ms} ms"
echo "./build.sh $TARGET, PIPELINE_REPORT=off: ${without_ms} ms"
echo "report written in (in process):     ${writing_ms} ms ($(wc -c < artifacts/report/index.html) bytes)"
awk -v a="$with_ms" -v b="$without_ms" 'BEGIN { printf "added: %d ms, ratio %.3f\n", a - b, a / b }'
awk -v w="$writing_ms" 'BEGIN { exit !(w <= 100) }' && echo "target (report <= 100 ms): met" || echo "target (report <= 100 ms): NOT met"
