#!/usr/bin/env bash
# Convergence under interruption: `./build.sh Release` killed anywhere, then run again, must leave the world whole.
#
# The world, all on loopback and private to this script: a clone of this repository's HEAD on `prod` with a bare origin,
# a docker-registry on a free port (the `local` registry every release push goes to), the stand-in for GitHub's REST API
# (tests/Pipeline.Testing/GitHubApiServer, run by bench/GitHubStandIn: GitHub's documented shapes; GitHub itself is never
# reached), a signing key, a private Podman API (images built and containers run there) and the `local` deploy
# environment on free ports (its HAProxy in the deploy state folder). The three services of deploy/config.env.
#
# Each of RUNS pairs: a new commit on prod (api's content changes every run, landing's every other, sample's never: the
# same digest released under a new tag), then `./build.sh Release` is started and, once a target drawn at random has
# begun, killed after a random part of that target's usual duration with SIGINT, SIGTERM or SIGKILL (drawn too);
# then `./build.sh Release` runs again and must succeed. After each pair the invariants of issue 21 are checked:
#   - exactly one CalVer tag on the commit, locally and on origin, the same one;
#   - every v* tag in the registry names a complete image (manifest and every blob there) with its signature,
#     attestations and SBOM attached, and this run's tags verify with this run's key (./build.sh Verify);
#   - at most one GitHub release per tag; a published one has every service's push record; the commit's is published;
#   - every HAProxy server at weight 0 or 100 (no canary left at 10), one at 100 per backend;
#   - every rollout the killed run began has a ledger line after the re-run (interrupted ones included: written on the way
#     out, or after SIGKILL by the re-run's repair from the attempt's in-flight note), and no in-flight note is left;
#   - per service at most one running container and at most 1 + KEEP (2) containers in all.
# Lint, Test, Coverage and Pack are skipped (--skip): they change nothing in the world (Pack writes local files; the
# version is the new tag's, so it packs again in every run), and would make each run minutes long.
# Prints runs, converged, and each failure with its seed (RUNS=1 SEED=<seed> replays one draw on a fresh world).
# Settings: RUNS (default 40), SEED (default: random), KEEP_WORK=1 keeps the work folder, CHAOS_REVISION (default HEAD).
# Needs: podman, runc, docker-registry, haproxy, socat, skopeo, curl, jq, git, openssl, dotnet.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-40}"
SEED="${SEED:-$((RANDOM * 32768 + RANDOM))}"
source bench/lib.sh
bench_init chaos "$(mktemp -d /tmp/pipeline-chaos.XXXXXX)"
if [[ -n "${KEEP_WORK:-}" ]]; then remove_work=""; trap 'bench_cleanup; echo "work folder kept: $work"' EXIT; fi
now_ms() { date +%s%3N; }

# ---- the world
start_private_podman "$work/deploy-state"
registry="$(registry)"
reg_port="${registry##*:}"
token="ghs_chaos_$(openssl rand -hex 12)"
dotnet build bench/GitHubStandIn -c Release -o "$work/standin" -nologo -v quiet > "$work/standin-build.log" 2>&1 || { cat "$work/standin-build.log"; exit 1; }
dotnet "$work/standin/GitHubStandIn.dll" "$token" > "$work/standin.out" 2> "$work/standin.log" &
echo $! >> "$pidfile"
for _ in $(seq 200); do [[ -s "$work/standin.out" ]] && break; sleep 0.1; done
github_api="$(head -1 "$work/standin.out")"
openssl ecparam -genkey -name prime256v1 2> /dev/null | openssl pkcs8 -topk8 -nocrypt -out "$work/signing.pem"

# The clone: this repository's committed HEAD (or CHAOS_REVISION, e.g. from `git stash create`), main and prod on a bare origin.
revision="$(git rev-parse "${CHAOS_REVISION:-HEAD}")"
git init --quiet --bare "$work/origin.git"
git push --quiet "$work/origin.git" "$revision:refs/heads/main" "$revision:refs/heads/prod"
git clone --quiet --branch prod "$work/origin.git" "$work/clone"
git -C "$work/clone" config user.name "Chaos Harness"
git -C "$work/clone" config user.email chaos@example.test
clone="$work/clone"

listen=() ports=()
for service in sample api landing; do
  listen+=("$service=127.0.0.1:$(free_port)")
  ports+=("$service=$(free_port),$(free_port)")
done
export GITHUB_TOKEN="$token" GITHUB_REPOSITORY=octo-org/chaos SIGNING_KEY="$work/signing.pem" \
  PIPELINE_STATE_HOME="$work/state-home" PIPELINE_CACHE_DIR="$work/cache" \
  LOCAL_REGISTRY_HOST=127.0.0.1 LOCAL_REGISTRY_PORT="$reg_port" REGISTRIES_RELEASE=local \
  DEPLOY_LOCAL_HOST="unix://$podman_home/podman.sock" DEPLOY_LOCAL_REGISTRY=local \
  DEPLOY_LOCAL_LISTEN="${listen[*]}" DEPLOY_LOCAL_PORTS="${ports[*]}" DEPLOY_LOCAL_CANARY_WINDOW=2s DEPLOY_LOCAL_HEALTH_TIMEOUT=20s
release_args=(Release --skip Lint Test Coverage Pack --parallel 1 --github-api-url "$github_api" --docker-host "unix://$podman_home/podman.sock"
  --deploy-environment local --deploy-state-directory "$work/deploy-state")
release() { (cd "$clone" && exec ./build.sh "${release_args[@]}"); }

# ---- one pair
targets=(AffectedServices SystemTools BuildImage TagCalVer PushGar Release Deploy)
# How long each target usually takes here (ms): the kill lands within it, and the log says where it really landed.
declare -A usual=([AffectedServices]=200 [SystemTools]=100 [BuildImage]=20000 [TagCalVer]=800 [PushGar]=3000 [Release]=1500 [Deploy]=15000)
signals=(INT TERM KILL)
failures=() converged=0 runs=0
declare -A killed_in=()

commit_change() {
  local i="$1"
  echo "chaos run $i" >> "$clone/deploy/services/api/service"
  if ((i % 2 == 1)); then echo "chaos run $i" >> "$clone/deploy/services/landing/service"; fi
  git -C "$clone" add -A deploy
  git -C "$clone" commit --quiet -m "chore: chaos run $i"
  git -C "$clone" push --quiet origin prod
}

ledger_lines() { cat "$work"/deploy-state/deploys/*.jsonl 2> /dev/null | wc -l; }
interrupted_lines() { cat "$work"/deploy-state/deploys/*.jsonl 2> /dev/null | grep -c '"outcome":"interrupted"' || true; }
in_flight_notes() { find "$work"/deploy-state/deploys -path '*.in-flight/*.json' 2> /dev/null | wc -l; }

# docker-registry answers 404 for an OCI manifest unless the request accepts its media type.
manifest_types='application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'

# One line per broken invariant (nothing when all hold).
check_world() {
  local head tags remote tag repo digest line
  head="$(git -C "$clone" rev-parse HEAD)"
  tags="$(git -C "$clone" tag --points-at HEAD | grep -E '^v[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[1-9][0-9]*$' || true)"
  remote="$(git -C "$clone" ls-remote --tags origin 'v*' | awk -v h="$head" '$1 == h { sub("refs/tags/", "", $2); sub(/\^\{\}$/, "", $2); print $2 }' | sort -u)"
  [[ "$(grep -c . <<< "$tags")" == 1 ]] || echo "commit ${head:0:7} has $(grep -c . <<< "$tags") CalVer tags locally (${tags//$'\n'/ })"
  [[ "$(grep -c . <<< "$remote")" == 1 ]] || echo "commit ${head:0:7} has $(grep -c . <<< "$remote") CalVer tags on origin (${remote//$'\n'/ })"
  [[ "$tags" == "$remote" ]] || echo "local tag '${tags//$'\n'/ }' and origin's '${remote//$'\n'/ }' differ"
  tag="$(head -1 <<< "$remote")"

  # Registry: every v* tag a complete image with its three attachments.
  for repo in $(curl -sf "http://$registry/v2/_catalog?n=1000" | jq -r '.repositories[]'); do
    for t in $(curl -sf "http://$registry/v2/$repo/tags/list" | jq -r '.tags // [] | .[]' | grep -E '^v' || true); do
      digest="$(curl -sfI -H "Accept: $manifest_types" "http://$registry/v2/$repo/manifests/$t" | tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" { print $2 }')"
      if [[ -z "$digest" ]]; then echo "registry $repo:$t has no readable manifest"; continue; fi
      while read -r blob; do
        curl -sfI "http://$registry/v2/$repo/blobs/$blob" > /dev/null || echo "registry $repo:$t ($digest) lacks blob $blob"
      done < <(curl -sf -H "Accept: $manifest_types" "http://$registry/v2/$repo/manifests/$digest" | jq -r '.config.digest, .layers[].digest')
      for kind in sig att sbom; do
        curl -sfI -H "Accept: $manifest_types" "http://$registry/v2/$repo/manifests/${digest/:/-}.$kind" > /dev/null || echo "registry $repo:$t ($digest) has no .$kind attachment"
      done
      if [[ "$t" == "$tag" ]]; then
        (cd "$clone" && ./build.sh Verify --verify-image "$registry/$repo:$t" --verbosity minimal > "$work/verify.log" 2>&1) \
          || echo "registry $repo:$t does not verify with this run's key: $(grep -m1 -i 'error\|refused' "$work/verify.log")"
      fi
    done
  done

  # GitHub: one release per tag, published ones whole, this commit's published.
  local releases
  releases="$(curl -sf -H "Authorization: token $token" "$github_api/repos/octo-org/chaos/releases?per_page=100")"
  jq -r 'group_by(.tag_name)[] | select(length > 1) | "\(length) GitHub releases for \(.[0].tag_name)"' <<< "$releases"
  jq -r '.[] | select(.draft == false) | select(([.assets[].name] | map(select(test("\\.release\\.push\\.json$"))) | length) == 0) | "published release \(.tag_name) has no push record among its assets"' <<< "$releases"
  [[ -z "$tag" ]] || jq -e --arg t "$tag" 'any(.[]; .tag_name == $t and .draft == false)' <<< "$releases" > /dev/null || echo "release $tag is not published"

  # The switch: no canary weight left; one server at full weight per backend.
  local sock
  for sock in "$work"/deploy-state/haproxy/*/admin.sock; do
    [[ -S "$sock" ]] || continue
    echo "show servers state" | socat -t 5 stdio "unix-connect:$sock" 2> /dev/null | awk '
      NR > 2 && NF > 10 { w = $8; if (w != 0 && w != 100) printf "backend %s server %s at weight %s (canary left)\n", $2, $4, w; if (w > 0 && $6 == 2) full[$2]++ ; seen[$2] = 1 }
      END { for (b in seen) if (full[b] != 1) printf "backend %s has %d servers taking traffic\n", b, full[b] + 0 }'
  done

  # Containers: per service at most one running, and 1 + KEEP in all.
  local running all
  for service in sample api landing; do
    running="$(podman_ ps --format '{{.Names}}' | grep -c -- "$service" || true)"
    all="$(podman_ ps -a --format '{{.Names}}' | grep -c -- "$service" || true)"
    ((running <= 1)) || echo "$running containers of $service running"
    ((all <= 3)) || echo "$all containers of $service (more than the live one and 2 kept)"
  done
}

echo "chaos: RUNS=$RUNS SEED=$SEED; load $(cut -d' ' -f1-3 /proc/loadavg); work $work"
(cd "$clone" && ./build.sh --help > /dev/null) # compiled once, outside the pairs
t0="$(now_ms)"
# The world's first release is set-up, not a pair: on a machine too loaded for the engine's 5 s probe it is tried again.
for attempt in 1 2 3; do
  release > "$work/first.log" 2>&1 && break
  ((attempt < 3)) || { echo "the first, uninterrupted Release failed 3 times:"; tail -20 "$work/first.log"; exit 1; }
done
first_ms=$(($(now_ms) - t0))
started_all="$(now_ms)"
rerun_ms=()

for ((i = 1; i <= RUNS; i++)); do
  seed=$((SEED + i))
  RANDOM=$seed
  target="${targets[RANDOM % ${#targets[@]}]}"
  signal="${signals[RANDOM % 3]}"
  delay_ms=$(((RANDOM * 32768 + RANDOM) % usual[$target]))
  commit_change "$i"
  ledger_before="$(ledger_lines)"
  log="$work/run-$i.log"
  # A background job of a script starts with SIGINT ignored (no job control); a CI runner's child does not: restore it.
  (cd "$clone" && exec env --default-signal=INT ./build.sh "${release_args[@]}") > "$log" 2>&1 &
  pid=$!
  # Wait for the drawn target to begin (its group line), then for the drawn delay; the run may end first.
  begun=""
  for _ in $(seq 1200); do
    if grep -q "^=== $target\$" "$log" 2> /dev/null; then begun=1; break; fi
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.05
  done
  what="not killed ($target never began)"
  if [[ -n "$begun" ]]; then
    sleep "$(awk -v m="$delay_ms" 'BEGIN { printf "%.3f", m / 1000 }')"
    if kill -0 "$pid" 2> /dev/null; then
      kill -s "$signal" "$pid" 2> /dev/null || true
      landed="$(grep '^=== ' "$log" | tail -1 | cut -c5-)"
      what="SIG$signal during ${landed:-start-up} ($target + ${delay_ms} ms)"
      killed_in[${landed:-start-up}]=$((${killed_in[${landed:-start-up}]:-0} + 1))
    else
      what="not killed (finished before ${delay_ms} ms into $target)"
    fi
  fi
  # A graceful stop must end the run within a minute.
  stopped=""
  for _ in $(seq 600); do kill -0 "$pid" 2> /dev/null || { stopped=1; break; }; sleep 0.1; done
  problems=()
  if [[ -z "$stopped" ]]; then
    problems+=("the run did not stop within 60 s of SIG$signal")
    kill -KILL "$pid" 2> /dev/null || true
  fi
  wait "$pid" 2> /dev/null && first_exit=0 || first_exit=$?
  # Every rollout the killed run began has its ledger line: written on the way out (SIGINT, SIGTERM), or, after SIGKILL,
  # by the re-run's repair from the attempt's in-flight note. So: interrupted lines after the re-run >= notes left now.
  notes_left="$(in_flight_notes)"
  interrupted_before="$(interrupted_lines)"
  t0="$(now_ms)"
  if ! release > "$work/rerun-$i.log" 2>&1; then
    problems+=("the re-run failed: $(grep -m1 -E 'error|failed' "$work/rerun-$i.log" | cut -c1-200)")
  fi
  rerun_ms+=($(($(now_ms) - t0)))
  if (($(in_flight_notes) > 0)); then problems+=("$(in_flight_notes) unfinished attempt(s) still have no ledger line after the re-run"); fi
  if (($(interrupted_lines) - interrupted_before < notes_left)); then problems+=("$notes_left rollout(s) left unfinished by the kill, but $(($(interrupted_lines) - interrupted_before)) interrupted ledger line(s) after the re-run"); fi
  if grep -q '^=== Deploy$' "$log" && ((notes_left == 0)) && (($(ledger_lines) <= ledger_before)); then problems+=("Deploy began but no ledger line at all (killed: $what)"); fi
  while IFS= read -r line; do [[ -n "$line" ]] && problems+=("$line"); done < <(check_world)
  runs=$((runs + 1))
  if ((${#problems[@]} == 0)); then
    converged=$((converged + 1))
    printf 'run %2d seed %s: %s (exit %s) -> converged\n' "$i" "$seed" "$what" "$first_exit"
  else
    printf 'run %2d seed %s: %s (exit %s) -> NOT converged\n' "$i" "$seed" "$what" "$first_exit"
    for p in "${problems[@]}"; do printf '    %s\n' "$p"; done
    failures+=("seed $seed ($what): ${problems[0]}")
  fi
done

elapsed=$(( ($(now_ms) - started_all) / 1000 ))
echo
echo "chaos: $runs runs, $converged converged, ${#failures[@]} failed; SEED=$SEED; ${elapsed} s; load $(cut -d' ' -f1-3 /proc/loadavg)"
median_rerun="$(printf '%s\n' "${rerun_ms[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')"
awk -v f="$first_ms" -v r="$median_rerun" 'BEGIN { printf "re-run after an interruption, median %.1f s; peer: the first, uninterrupted Release %.1f s; ratio %.2f\n", r / 1000, f / 1000, r / f }'
printf 'killed during:'; for t in start-up "${targets[@]}"; do printf ' %s %s' "$t" "${killed_in[$t]:-0}"; done; echo
for f in "${failures[@]}"; do echo "FAILED $f"; done
((${#failures[@]} == 0))
