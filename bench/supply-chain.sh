#!/usr/bin/env bash
# What signing and attaching (cosign-format signature, DSSE SLSA provenance and SBOM statements, the SBOM) add to a push,
# measured against the same push unsigned (the peer), same process, same registry, alternating runs into fresh repositories.
#  (a) the registry bench's sample image: 5 x 13 MB incompressible layers (~65 MB), as in bench/registry.sh;
#  (b) the sample service's size class: one small layer (~20 KB), where a push is only round trips.
# The SBOM's generation (reading every layer) is reported on its own. Needs: docker-registry, dotnet. Target: ratio < 1.10.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-7}"
work="$PWD/.nuke/temp/bench/supply-chain"
rm -rf "$work" && mkdir -p "$work"
pidfile="$work/pids"
: > "$pidfile"
cleanup() { while read -r p; do kill "$p" 2> /dev/null || true; done < "$pidfile"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
registry() {
  local port dir; port=$(free_port); dir="$work/registry-$port"; mkdir -p "$dir"
  cat > "$dir/config.yml" <<YML
version: 0.1
log: { level: error, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: $dir/data }, delete: { enabled: true } }
http: { addr: 127.0.0.1:$port }
YML
  docker-registry serve "$dir/config.yml" > "$dir/log" 2>&1 &
  echo $! >> "$pidfile"
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/v2/" > /dev/null && break; sleep 0.05; done
  echo "127.0.0.1:$port"
}

# The same self-contained ReadyToRun bench tool as bench/registry.sh (same library code the build runs).
dotnet publish bench/RegistryBench/RegistryBench.csproj -c Release -o "$work/bin" -nologo -v quiet > /dev/null
bench() { "$work/bin/RegistryBench" "$@"; }

bench make-image "$work/large.tar" 5 13000000
bench make-image "$work/small.tar" 1 20000
echo "(a) 65 MB, 5 layers, median of $RUNS:"
bench sign-overhead "$work/large.tar" "$(registry)" "$RUNS" "$work/layout-large" | sed 's/^/    /'
echo "(b) 20 KB, 1 layer, median of $RUNS:"
bench sign-overhead "$work/small.tar" "$(registry)" "$RUNS" "$work/layout-small" | sed 's/^/    /'
