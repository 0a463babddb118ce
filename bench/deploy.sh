#!/usr/bin/env bash
# Deploy against the simple peer, same run, same machine, real containers (Podman + runc) on loopback.
#  ours: ./build.sh Deploy (by digest from a real registry, green next to blue behind a build-run HAProxy, 10 % canary
#        for CANARY_WINDOW, promotion) and ./build.sh Rollback (the kept container), with a request loop through HAProxy.
#  peer: the usual script — podman stop the old container, podman run the new one on the same port — with the same
#        request loop against that port.
# Prints: time from the pushed image to the canary serving, to full promotion, rollback time, and for every switch
# the failed requests and the longest gap between two good answers (downtime). Targets: canary serving < 60 s after
# the push, rollback < 30 s, 0 failed requests.
# Needs: podman, runc, docker-registry, haproxy, curl, dotnet. Everything it starts is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
CANARY_WINDOW="${CANARY_WINDOW:-10s}"
root="$PWD"
bench_init deploy "$(mktemp -d /tmp/pipeline-bench-deploy.XXXXXX)"
now_ms() { date +%s%3N; }
start_private_podman "$work/state"
# A registry, open, on a free port (the environment's `local` registry).
reg_port="$(registry)" reg_port="${reg_port##*:}"

# Two releases of the sample service (deploy/sample-service, prod stage, from its deploy/ context with the shared
# busybox of deploy/base), differing in their index page.
for v in v1 v2; do
  mkdir -p "$work/ctx-$v"
  cp -r deploy/sample-service deploy/base deploy/.containerignore "$work/ctx-$v/"
  echo "$v" > "$work/ctx-$v/sample-service/app/public/index.html"
  podman_ build --quiet --target prod -f "$work/ctx-$v/sample-service/Containerfile" -t "localhost/bench-sample:$v" "$work/ctx-$v" > /dev/null
done
push() { podman_ push --quiet --tls-verify=false "localhost/bench-sample:$1" "127.0.0.1:$reg_port/pipeline-sample:$1"; }
push v1

# Requests in a loop until $work/stop exists: one line per answer, "<ms> <status> <body>".
loop() {
  local url="$1" out="$2"
  : > "$out"
  while [[ ! -f "$work/stop" ]]; do
    body="$(curl -s -m 2 -w ' %{http_code}' "$url" 2> /dev/null || echo ' 000')"
    echo "$(now_ms) ${body##* } ${body% *}" >> "$out"
  done
}
start_loop() { rm -f "$work/stop"; loop "$1" "$2" & loop_pid=$!; echo "$loop_pid" >> "$pidfile"; }
stop_loop() { touch "$work/stop"; wait "$loop_pid" 2> /dev/null || true; }
# Failed requests and the longest gap between two good answers in a loop log, from ms $2 on.
failures() { awk -v from="$2" '$1 >= from && $2 != 200 { n++ } END { print n + 0 }' "$1"; }
gap() { awk -v from="$2" '$1 >= from && $2 == 200 { if (last && $1 - last > max) max = $1 - last; last = $1 } END { print max + 0 }' "$1"; }
first_body() { awk -v from="$2" -v b="$3" '$1 >= from && $2 == 200 && $3 == b { print $1; exit }' "$1"; }
# (printf %.0f: print would round millisecond timestamps to 6 digits, and mawk's %d stops at 2^31)
last_body() { awk -v from="$2" -v to="$4" -v b="$3" '$1 >= from && $1 < to && $2 == 200 && $3 == b { t = $1 } END { printf "%.0f\n", t }' "$1"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# ---- ours
listen="$(free_port)"
slot_a="$(free_port)"
slot_b="$(free_port)"
export DEPLOY_ENVIRONMENTS=bench DEPLOY_BENCH_HOST="unix://$podman_home/podman.sock" DEPLOY_BENCH_REGISTRY=local DEPLOY_BENCH_SWITCH=haproxy-local \
  DEPLOY_BENCH_LISTEN="sample=127.0.0.1:$listen" DEPLOY_BENCH_PORTS="sample=$slot_a,$slot_b" DEPLOY_BENCH_HEALTH_PATH=/cgi-bin/health \
  DEPLOY_BENCH_CANARY_WEIGHT=10 DEPLOY_BENCH_CANARY_WINDOW="$CANARY_WINDOW" LOCAL_REGISTRY_PORT="$reg_port"
# This repository lists services (deploy/config.env): the bench deploys and rolls back the sample service alone.
build() { "$root/build.sh" "$@" --services sample --deploy-environment bench --deploy-state-directory "$work/state" --verbosity minimal > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }; }
./build.sh --help > /dev/null # compiled once, outside the timings
build Deploy --deploy-image v1
start_loop "http://127.0.0.1:$listen/" "$work/ours.log"
sleep 1
push v2
pushed="$(now_ms)"
build Deploy --deploy-image v2
deployed="$(now_ms)"
canary="$(first_body "$work/ours.log" "$pushed" v2)"
sleep 1
rollback_start="$(now_ms)"
build Rollback
rollback_done="$(now_ms)"
rolled="$(first_body "$work/ours.log" "$rollback_start" v1)"
promoted="$(last_body "$work/ours.log" "$pushed" v1 "$rollback_start")"
sleep 1
stop_loop
ours_requests="$(wc -l < "$work/ours.log")"
ours_failed_deploy="$(awk -v a="$pushed" -v b="$rollback_start" '$1 >= a && $1 < b && $2 != 200 { n++ } END { print n + 0 }' "$work/ours.log")"
ours_failed_rollback="$(failures "$work/ours.log" "$rollback_start")"
ours_gap="$(gap "$work/ours.log" 0)"

# ---- peer: stop the old container, start the new one on the same port
peer_port="$(free_port)"
podman_ run -d --name peer-v1 -p "127.0.0.1:$peer_port:8080" localhost/bench-sample:v1 > /dev/null
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$peer_port/" > /dev/null && break; sleep 0.1; done
start_loop "http://127.0.0.1:$peer_port/" "$work/peer.log"
sleep 1
peer_start="$(now_ms)"
# The usual script pulls first (from the same registry, by tag), then swaps: pull, stop, run.
podman_ pull --quiet --tls-verify=false "127.0.0.1:$reg_port/pipeline-sample:v2" > /dev/null
podman_ stop --time 10 peer-v1 > /dev/null && podman_ rm peer-v1 > /dev/null
podman_ run -d --name peer-v2 -p "127.0.0.1:$peer_port:8080" "127.0.0.1:$reg_port/pipeline-sample:v2" > /dev/null
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$peer_port/" > /dev/null && break; sleep 0.05; done
peer_serving="$(now_ms)"
sleep 1
peer_rb_start="$(now_ms)"
podman_ stop --time 10 peer-v2 > /dev/null && podman_ rm peer-v2 > /dev/null
podman_ run -d --name peer-v1b -p "127.0.0.1:$peer_port:8080" localhost/bench-sample:v1 > /dev/null
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$peer_port/" > /dev/null && break; sleep 0.05; done
peer_rb_done="$(now_ms)"
sleep 1
stop_loop
peer_requests="$(wc -l < "$work/peer.log")"
peer_failed_deploy="$(awk -v a="$peer_start" -v b="$peer_rb_start" '$1 >= a && $1 < b && $2 != 200 { n++ } END { print n + 0 }' "$work/peer.log")"
peer_failed_rollback="$(failures "$work/peer.log" "$peer_rb_start")"
peer_gap="$(gap "$work/peer.log" 0)"

echo "deploy benchmark (canary 10 % for $CANARY_WINDOW; one curl loop through the switch; $(nproc) cores)"
printf '%-44s %14s %14s\n' "" "ours" "peer (stop+run)"
printf '%-44s %13ss %14s\n' "push done -> new release serving (canary)" "$(secs "$pushed" "$canary")" "$(secs "$peer_start" "$peer_serving")s"
printf '%-44s %13ss %14s\n' "push done -> all traffic on the new release" "$(secs "$pushed" "$promoted")" "$(secs "$peer_start" "$peer_serving")s"
printf '%-44s %13ss %14s\n' "Deploy command, whole (incl. build start)" "$(secs "$pushed" "$deployed")" "-"
printf '%-44s %13ss %14s\n' "rollback -> old release serving" "$(secs "$rollback_start" "$rolled")" "$(secs "$peer_rb_start" "$peer_rb_done")s"
printf '%-44s %13ss %14s\n' "Rollback command, whole" "$(secs "$rollback_start" "$rollback_done")" "-"
printf '%-44s %14s %14s\n' "failed requests during deploy" "$ours_failed_deploy" "$peer_failed_deploy"
printf '%-44s %14s %14s\n' "failed requests during rollback" "$ours_failed_rollback" "$peer_failed_rollback"
printf '%-44s %13sms %13sms\n' "longest gap between good answers" "$ours_gap" "$peer_gap"
printf '%-44s %14s %14s\n' "requests in the loop" "$ours_requests" "$peer_requests"
echo "ratio ours/peer: new release serving $(ratio "$(secs "$pushed" "$canary")" "$(secs "$peer_start" "$peer_serving")"), rollback serving $(ratio "$(secs "$rollback_start" "$rolled")" "$(secs "$peer_rb_start" "$peer_rb_done")"); failed requests $((ours_failed_deploy + ours_failed_rollback)) vs $((peer_failed_deploy + peer_failed_rollback))"
echo "targets: canary serving < 60 s after the push, rollback < 30 s, 0 failed requests"
