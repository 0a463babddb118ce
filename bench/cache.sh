#!/usr/bin/env bash
# The target cache and the parallel runner, with this repository as the workload (issue 12), all in one run:
#  (a) ./build.sh Test cold (empty cache) against unchanged with a warm per-user cache      target: under 1 s
#  (b) a fresh clone whose only cache is the registry the cold run pushed to                target: under 5 s
#  (c) one source file of one test project changed: wall time and which test projects reran
#  (d) ./build.sh Release --parallel against --parallel 1 on fresh clones, and the critical path from the summary
#      table (target: within 10 % of it). Release pushes and tags: only in clones, against the local registry.
# The peer of (a)-(c) is the same command without the cache (the cold run: what every run cost before).
# Usage: bench/cache.sh [--skip-release | --release-only]; figures go to README's Benchmarks table and docs/cache.md.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
source bench/lib.sh
bench_init cache "$(mktemp -d /tmp/pipeline-cache-bench.XXXXXX)"
chmod 755 "$work" # the hosted-runner test runs the clone as a non-root user
# The runs' logs outlive the work folder, for reading the summary tables afterwards.
logs="$repo/.nuke/temp/bench/cache-logs"
mkdir -p "$logs"
keep_logs() { cp "$work"/*.log "$logs/" 2> /dev/null || true; bench_cleanup; }
trap keep_logs EXIT

# A private registry as the shared cache, on a free port.
cache_registry="$(registry)/pipeline/cache"

# Clones come from a bare copy, so Release's tag pushes stay inside the bench's folder.
git clone -q --bare "$repo" "$work/origin.git"
clone() { # name: a fresh clone of the committed HEAD, its build compiled (not measured: the cache does not hold the build itself)
  git clone -q --no-hardlinks "$work/origin.git" "$work/$1"
  (cd "$work/$1" && ./build.sh --plan > /dev/null)
}
timed() { # log, dir, cache-dir, args...: prints seconds of wall time
  local log="$1" dir="$2" cache="$3" start end; shift 3
  start=$(date +%s%N)
  (cd "$dir" && PIPELINE_CACHE_DIR="$cache" ./build.sh "$@" > "$log" 2>&1) || echo "note: ./build.sh $* exited non-zero (see $log)" >&2
  end=$(date +%s%N)
  awk -v ns="$((end - start))" 'BEGIN { printf "%.2f", ns / 1e9 }'
}
tests_line() { grep -E '^Tests: [0-9]+ passed' "$1" | tail -1; }

if [[ "${1:-}" != "--release-only" ]]; then
echo "== (a) cold vs warm local cache (clone a)"
clone a
cold=$(timed "$work/a-cold.log" "$work/a" "$work/cache-a" Test --cache-registry "$cache_registry" --cache-write shared)
warm=$(timed "$work/a-warm.log" "$work/a" "$work/cache-a" Test --cache-registry "$cache_registry")
echo "cold ./build.sh Test:              ${cold} s   ($(tests_line "$work/a-cold.log"))"
echo "unchanged, warm local cache:       ${warm} s   ($(grep -E '^Test: cached' "$work/a-warm.log" | head -1))"
awk -v c="$cold" -v w="$warm" 'BEGIN { printf "ratio cold / warm:                 %.0fx (target warm < 1 s: %s)\n", c / w, (w < 1 ? "met" : "NOT met") }'

echo "== (b) fresh clone, registry cache only (clone b, empty per-user folder)"
clone b
fresh=$(timed "$work/b.log" "$work/b" "$work/cache-b" Test --cache-registry "$cache_registry")
echo "fresh clone ./build.sh Test:       ${fresh} s   ($(grep -E '^Test: cached' "$work/b.log" | head -1))"
awk -v c="$cold" -v f="$fresh" 'BEGIN { printf "ratio cold / fresh-from-registry: %.0fx (target < 5 s: %s)\n", c / f, (f < 5 ? "met" : "NOT met") }'

echo "== (c) one source file of one test project changed (clone b)"
echo "// bench: one changed line" >> "$work/b/tests/Pipeline.GitHub.Tests/GitHubRepositoryNameTests.cs"
changed=$(timed "$work/b-changed.log" "$work/b" "$work/cache-b" Test --cache-registry "$cache_registry")
echo "one project changed:               ${changed} s"
echo "reran:                             $(grep -E '^Test: [0-9]+ project\(s\) cached, running' "$work/b-changed.log" | sed 's/.*running //')"
echo "                                   $(tests_line "$work/b-changed.log")"

fi

if [[ "${1:-}" != "--skip-release" ]]; then
  echo "== (d) ./build.sh Release --parallel vs --parallel 1 (fresh clones, no cache, local registry on :5000 as the build starts it)"
  clone r1; clone r2
  # Deploy (which Release triggers) is skipped: both clones would claim the same local listen ports one after the other.
  parallel=$(timed "$work/r1.log" "$work/r1" "$work/cache-r1" Release --parallel --no-cache --skip Deploy)
  serial=$(timed "$work/r2.log" "$work/r2" "$work/cache-r2" Release --parallel 1 --no-cache --skip Deploy)
  # Critical path: the longest chain through the plan's ordering edges (DependsOn, Before/After, Triggers: every
  # mermaid edge of --plan, plus plan order between targets that share a resource: [uses …]), weighted by the serial
  # run's durations (uncontended, so each target's own cost). The best any --parallel N can do on unlimited cores.
  critical=$( (cd "$work/r2" && ./build.sh Release --plan --skip Deploy) | python3 -c '
import re, sys
durations = {}
for line in open(sys.argv[1]):
    m = re.match(r"^(\w+) +(succeeded|cached|failed) +(?:(\d+):(\d+)|([\d.]+)s)\b", line)
    if m: durations[m[1]] = int(m[3]) * 60 + int(m[4]) if m[3] else float(m[5])
order, edges, resources = [], [], {}
for line in sys.stdin:
    if m := re.match(r"^ +\d+\. (\w+).*?(?:\[uses ([^]]+)\])?$", line):
        # Targets sharing a resource run one after the other, in plan order: that is an ordering edge too.
        uses = set((m[2] or "").split(", ")) - {""}
        edges += [(before, m[1]) for before in order if resources.get(before, set()) & uses]
        order.append(m[1]); resources[m[1]] = uses
    elif m := re.match(r"^ +(\w+) (?:-->|-\. \w+ \.->) (\w+)$", line): edges.append((m[1], m[2]))
finish = {}
for t in order: finish[t] = durations.get(t, 0) + max([finish.get(a, 0) for a, b in edges if b == t], default=0)
end = max(finish, key=finish.get)
chain = [end]
while preds := [a for a, b in edges if b == chain[-1] and finish.get(a, 0) + durations.get(chain[-1], 0) == finish[chain[-1]] and a in finish]:
    chain.append(max(preds, key=finish.get))
print("%.2f s (%s)" % (finish[end], " > ".join(reversed(chain))))
' "$work/r2.log")
  echo "--parallel (one per core):         ${parallel} s"
  echo "--parallel 1:                      ${serial} s"
  awk -v p="$parallel" -v s="$serial" 'BEGIN { printf "ratio serial / parallel:           %.2fx\n", s / p }'
  echo "critical path:                     ${critical}"
  awk -v p="$parallel" -v c="${critical%% *}" 'BEGIN { printf "parallel / critical path:          %.2f (target within 10 %%: %s)\n", p / c, (p <= c * 1.10 ? "met" : "NOT met") }'
fi
