#!/usr/bin/env bash
# CI from cold: a fresh clone of this repository's HEAD, `.ci/run` from its start to its `Tests:` line, timed whole
# and by phase (compile, Test, Coverage, as the build's summary table reports them).
# Peer (PEER=1, the default): plain `dotnet test Pipeline.sln` in a second fresh clone, the same tests with no build
# tool around them (no coverage, no gates, no report); run after ours, never beside it, so neither starves the other.
# The load average is printed before and after: on this 2-core machine a figure taken at load > 2 is not a quiet one.
# Settings: PEER=0 skips the peer; CI_REVISION (default HEAD); KEEP_WORK=1 keeps the clones.
# Needs what .ci/run installs (run it once as root first on a fresh machine), git, dotnet.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
bench_init ci "$(mktemp -d /tmp/pipeline-ci.XXXXXX)"
if [[ -n "${KEEP_WORK:-}" ]]; then remove_work=""; trap 'bench_cleanup; echo "work folder kept: $work"' EXIT; fi
revision="$(git rev-parse "${CI_REVISION:-HEAD}")"
now() { date +%s.%N; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", b - a }'; }

echo "ci: revision ${revision:0:12}; load $(load); work $work"
git clone --quiet --no-local "$PWD" "$work/ours" && git -C "$work/ours" checkout --quiet "$revision"
start="$(now)"
set +e
(cd "$work/ours" && exec .ci/run) > "$work/ours.log" 2>&1
status=$?
set -e
finished="$(now)"
tests_line="$(grep -E '^Tests: [0-9]+ passed' "$work/ours.log" | tail -n 1 || true)"
ours="$(seconds "$start" "$finished")"
# The summary table's rows, as the build prints them: "Test   succeeded   12:34" (or "0.52s"; "not run" has none).
phase() { awk -v t="$1" '$1 == t && $2 != "not" { print $3 }' "$work/ours.log" | tail -n 1; }
echo "ours: .ci/run ${ours} s (exit $status, load after $(load)); Test $(phase Test), Coverage $(phase Coverage)"
echo "ours: ${tests_line:-no Tests: line}"
grep -A 10 -E "^Slowest [0-9]+ of" "$work/ours.log" || true

if [[ "${PEER:-1}" != 0 ]]; then
  git clone --quiet --no-local "$PWD" "$work/peer" && git -C "$work/peer" checkout --quiet "$revision"
  start="$(now)"
  set +e
  (cd "$work/peer" && exec dotnet test Pipeline.sln --nologo -v q) > "$work/peer.log" 2>&1
  peer_status=$?
  set -e
  peer="$(seconds "$start" "$(now)")"
  echo "peer: dotnet test Pipeline.sln ${peer} s (exit $peer_status, load after $(load))"
  grep -E '^(Passed|Failed)!' "$work/peer.log" | sed 's/^/peer: /' || true
  awk -v a="$ours" -v b="$peer" 'BEGIN { if (b > 0) printf "ratio: .ci/run / dotnet test = %.2f\n", a / b }'
fi
exit "$status"
