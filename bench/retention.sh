#!/usr/bin/env bash
# Registry retention on a real local docker-registry: Pipeline (inventory + plan, then delete) against the usual shell peer,
# a skopeo loop (list-tags, inspect each tag for its date, delete the expired ones), on identical registries in the same run.
# Prints seconds for each and the ratio peer/Pipeline (>1 means Pipeline is faster). Needs docker-registry, skopeo, jq, dotnet.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-60}"
source bench/lib.sh
bench_init retention "$(mktemp -d)"

dotnet build tests/Pipeline.Retention.Tests -c Release -v q -nologo >/dev/null
p1="$(registry)"; p1="${p1##*:}"
p2="$(registry)"; p2="${p2##*:}"
dotnet fsi bench/retention.fsx "127.0.0.1:$p1" bench/app seed "$N"
dotnet fsi bench/retention.fsx "127.0.0.1:$p2" bench/app seed "$N"

read -r dry_s versions planned < <(dotnet fsi bench/retention.fsx "127.0.0.1:$p1" bench/app dry)
read -r apply_s _ deleted < <(dotnet fsi bench/retention.fsx "127.0.0.1:$p1" bench/app apply)

# The peer: what a cleanup script does with skopeo (dates from the config via inspect, which reads manifest + config).
peer_start=$(date +%s.%N)
cutoff=$(date -u -d '7 days ago' +%s)
peer_deleted=0
for tag in $(skopeo list-tags --tls-verify=false "docker://127.0.0.1:$p2/bench/app" | jq -r '.Tags[]' | grep '^pr-'); do
  created=$(skopeo inspect --tls-verify=false "docker://127.0.0.1:$p2/bench/app:$tag" | jq -r '.Created')
  if [ "$(date -u -d "$created" +%s)" -lt "$cutoff" ]; then
    skopeo delete --tls-verify=false "docker://127.0.0.1:$p2/bench/app:$tag"
    peer_deleted=$((peer_deleted + 1))
  fi
done
peer_s=$(echo "$(date +%s.%N) - $peer_start" | bc)

pipeline_s=$(echo "$dry_s + $apply_s" | bc)
echo "images: $N tagged, $versions versions, $planned planned, pipeline deleted $deleted, skopeo deleted $peer_deleted"
printf 'pipeline: inventory+plan %.2f s, apply (re-inventory + delete) %.2f s, total %.2f s\n' "$dry_s" "$apply_s" "$pipeline_s"
printf 'skopeo loop (list-tags, inspect, delete): %.2f s\n' "$peer_s"
printf 'ratio skopeo/pipeline: %.1fx\n' "$(echo "$peer_s / $pipeline_s" | bc -l)"
