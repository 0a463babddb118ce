#!/usr/bin/env bash
# Affected-only builds in a many-service repository (issue 15), ours against the same command building everything,
# in one run: a generated git repository whose deploy/config.env lists 20 tiny FROM-scratch services, one of them
# changed in the last commit; wall time of
#   ours:  ./build.sh BuildImage PushGar --base-ref HEAD~1   (AffectedServices picks the 1 changed service)
#   peer:  ./build.sh BuildImage PushGar --all-services      (all 20: what a build without affected-only does)
# This repository's own build (build.sh with --root), a private Podman API service on a private store, and a fresh
# docker-registry on a free port for every timed run (so both start from the same registry state). Before timing, one
# untimed --all-services run at the base commit warms the compiled build and the engine's layer cache, as on a runner
# that built main before. Median of $RUNS pairs (order alternates). Usage: RUNS=3 bench/services.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
RUNS="${RUNS:-3}"
SERVICES="${SERVICES:-20}"
CONCURRENCY="${SERVICE_BUILD_CONCURRENCY:-1}"
source bench/lib.sh
bench_init services
command -v podman > /dev/null || { echo "podman is not installed (apt-get install podman)"; exit 1; }
command -v docker-registry > /dev/null || { echo "docker-registry is not installed (apt-get install docker-registry)"; exit 1; }

short=$(mktemp -d /tmp/psvc.XXXXXX) # Podman refuses a runroot longer than 50 characters
store=(--root "$short/storage" --runroot "$short/run")
podman "${store[@]}" system service --time=0 "unix://$short/podman.sock" > "$work/podman.log" 2>&1 &
echo $! >> "$pidfile"
cleanup() {
  bench_cleanup
  podman "${store[@]}" system reset --force > /dev/null 2>&1 || true
  rm -rf "$short"
}
trap cleanup EXIT
for _ in $(seq 100); do [[ -S "$short/podman.sock" ]] && break; sleep 0.1; done
export DOCKER_HOST="unix://$short/podman.sock" PIPELINE_STATE_HOME="$work/state" # the engine, and push layouts kept in the bench folder

# The generated repository: svc-01 … svc-N, each its own context (the defaults: deploy/services/<name>, image <name>).
gen="$work/repo"
mkdir -p "$gen/.nuke"
names=()
for i in $(seq -w 1 "$SERVICES"); do
  name="svc-$i"; names+=("$name"); dir="$gen/deploy/services/$name"
  mkdir -p "$dir"
  printf 'FROM scratch\nCOPY index.html /srv/www/index.html\nCOPY data.txt /srv/data.txt\n' > "$dir/Containerfile"
  printf '<!doctype html>\n<title>%s</title>\n<p>%s is up.</p>\n' "$name" "$name" > "$dir/index.html"
  head -c $((1024 * (1 + 10#$i))) /dev/zero | tr '\0' "${i: -1}" > "$dir/data.txt" # 2-21 KB: tiny, not all alike
done
(IFS=,; echo "SERVICE_NAMES=${names[*]}") > "$gen/deploy/config.env"
printf 'artifacts/\n.nuke/temp/\n' > "$gen/.gitignore"
git -C "$gen" init -q -b main
git -C "$gen" add -A
git -C "$gen" -c user.name=bench -c user.email=bench@example.test commit -q -m "$SERVICES services"

# One build of this repository's build.sh against the generated root; prints seconds of wall time.
run_build() { # log, registry, args...
  local log="$1" registry="$2" start end; shift 2
  start=$(date +%s%N)
  "$repo/build.sh" BuildImage PushGar --root "$gen" --gar-host "$registry" --gar-project bench --gar-repository images \
    --insecure-registries "$registry" --registries-staging gar --gar-push-purpose staging \
    --service-build-concurrency "$CONCURRENCY" "$@" > "$log" 2>&1 || { tail -30 "$log"; echo "FAIL: ./build.sh $* (see $log)"; exit 1; }
  end=$(date +%s%N)
  secs "$start" "$end"
}
repositories() { curl -sf "http://$1/v2/_catalog?n=1000" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["repositories"]))'; }

echo "== warm-up: --all-services at the base commit (untimed)"
run_build "$work/warmup.log" "$(registry)" --all-services > /dev/null

changed="${names[6]}"
echo "<p>changed</p>" >> "$gen/deploy/services/$changed/index.html"
git -C "$gen" -c user.name=bench -c user.email=bench@example.test commit -q -am "change $changed"

affected_times=(); all_times=()
for r in $(seq "$RUNS"); do
  for kind in $( ((r % 2)) && echo "affected all" || echo "all affected"); do
    reg=$(registry)
    if [[ "$kind" == affected ]]; then
      t=$(run_build "$work/affected-$r.log" "$reg" --base-ref HEAD~1); affected_times+=("$t")
      pushed=$(repositories "$reg")
      [[ "$pushed" == 1 ]] || { echo "FAIL: the affected-only run pushed $pushed repositories, expected 1 ($changed)"; exit 1; }
    else
      t=$(run_build "$work/all-$r.log" "$reg" --all-services); all_times+=("$t")
      pushed=$(repositories "$reg")
      [[ "$pushed" == "$SERVICES" ]] || { echo "FAIL: the --all-services run pushed $pushed repositories, expected $SERVICES"; exit 1; }
    fi
    echo "run $r $kind: $t s ($pushed pushed)"
  done
done

affected=$(printf '%s\n' "${affected_times[@]}" | median)
all=$(printf '%s\n' "${all_times[@]}" | median)
echo
echo "$SERVICES services, 1 changed ($changed); --service-build-concurrency $CONCURRENCY; Podman $(podman --version | awk '{print $3}'); median of $RUNS; load: $(uptime | sed 's/.*load average: //')"
grep -h -m1 '^Services: ' "$work/affected-1.log" || true
printf 'affected-only (--base-ref HEAD~1): %6.2f s   (%s)\n' "$affected" "$(printf '%s ' "${affected_times[@]}")"
printf 'all services (--all-services):      %6.2f s   (%s)\n' "$all" "$(printf '%s ' "${all_times[@]}")"
awk -v a="$affected" -v b="$all" 'BEGIN { printf "ratio all / affected-only:          %.1fx faster\n", b / a }'
