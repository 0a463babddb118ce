#!/usr/bin/env bash
# Pack of this repository's 13 packages (12 with a .snupkg; the meta package Pipeline has no code), twice, from two clones of one commit at different paths:
#   identical - every .nupkg and .snupkg compared byte for byte (the reproducibility promise of docs/packages.md)
#   time      - the pack as the Pack target runs it (dotnet pack -c Release, CalVer version, ContinuousIntegrationBuild,
#               DeterministicTimestamp = HEAD's commit time: without it NuGet 7.9 stamps every zip entry with the clock)
# Peer, same run: a plain `dotnet build -c Release` of the same projects in a third clone (what packing costs on top).
# Every run is cold (fresh clones, no obj/); the NuGet package cache is shared, as on a runner with its cache restored.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d /tmp/pack-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
head="$(git rev-parse HEAD)"
version="26.12.5-ci.1.${head:0:7}"   # any fixed version: both packs get the same one, as Pack gives one commit
committed="$(git show -s --format=%ct HEAD)"
echo "commit ${head:0:12}, version $version, load: $(uptime | sed 's/.*load average: //')"

git clone -q . "$work/a" && git clone -q . "$work/second-clone-with-a-longer-path" && git clone -q . "$work/peer"
# A clone's origin is this folder (file://), which SourceLink.GitHub refuses as RepositoryUrl: give all three the same
# GitHub-shaped origin, as a runner's checkout has (one URL for both packs, so it cannot make their bytes differ).
for clone in a second-clone-with-a-longer-path peer; do git -C "$work/$clone" remote set-url origin https://github.com/pipeline-build/pipeline.git; done
pack() {
  local dir="$1" start end
  start=$(date +%s.%N)
  (cd "$dir" && dotnet pack Pipeline.sln -c Release -o "$dir/artifacts/packages" -nologo -v q -clp:NoSummary \
    "-p:Version=$version" -p:ContinuousIntegrationBuild=true "-p:DeterministicTimestamp=$committed" > "$dir/pack.log" 2>&1) || { tail -20 "$dir/pack.log" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
t1=$(pack "$work/a")
t2=$(pack "$work/second-clone-with-a-longer-path")
start=$(date +%s.%N)
(cd "$work/peer" && dotnet build src/Pipeline/Pipeline.csproj -c Release -nologo -v q -clp:NoSummary > "$work/peer/build.log" 2>&1) || { tail -20 "$work/peer/build.log"; exit 1; }
peer=$(echo "$(date +%s.%N) - $start" | bc)

files=0 same=0
for f in "$work/a/artifacts/packages/"*; do
  files=$((files + 1))
  cmp -s "$f" "$work/second-clone-with-a-longer-path/artifacts/packages/$(basename "$f")" && same=$((same + 1)) || echo "differs: $(basename "$f")"
done
printf 'identical: %d of %d files (.nupkg + .snupkg) byte-identical between the two packs\n' "$same" "$files"
printf 'pack (clone a):           %6.1f s\n' "$t1"
printf 'pack (second clone):      %6.1f s\n' "$t2"
printf 'peer dotnet build:        %6.1f s   pack/build ratio %.2f\n' "$peer" "$(echo "$t1 / $peer" | bc -l)"
echo "load after: $(uptime | sed 's/.*load average: //')"
[ "$same" -eq "$files" ] && [ "$files" -gt 0 ]
