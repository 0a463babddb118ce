# shellcheck shell=bash
# What the bench scripts that start real registries share. Source it from the repository root:
#   source bench/lib.sh; bench_init registry      # $work = .nuke/temp/bench/registry, servers stopped on exit
#   bench_init cache "$(mktemp -d)"               # or a folder of the caller's, removed on exit
#   target=$(registry)                            # a fresh docker-registry on a free loopback port: host:port
#   start_private_podman "$work/deploy-state"     # a private Podman API (podman_ is its CLI); HAProxys of that state stopped on exit

# A fresh work folder for this bench; every server started through registry() is stopped when the script exits.
bench_init() {
  if [[ -n "${2:-}" ]]; then work="$2" remove_work=1; else work="$PWD/.nuke/temp/bench/$1" remove_work=""; fi
  rm -rf "$work" && mkdir -p "$work"
  # registry() runs in a command substitution (a subshell), so server pids go to a file the trap reads.
  pidfile="$work/pids"
  : > "$pidfile"
  trap bench_cleanup EXIT
}

bench_cleanup() {
  local haproxy_pid
  # The build's HAProxys (they outlive the build) and the private Podman's containers go first, while its store is there.
  if [[ -n "${deploy_state:-}" ]]; then
    for haproxy_pid in "$deploy_state"/haproxy/*/haproxy.pid; do if [[ -f "$haproxy_pid" ]]; then kill "$(cat "$haproxy_pid")" 2> /dev/null || true; fi; done
  fi
  if [[ -n "${podman_home:-}" ]]; then podman_ rm --all --force --time 0 > /dev/null 2>&1 || true; fi
  while read -r p; do kill "$p" 2> /dev/null || true; done < "$pidfile"
  wait 2> /dev/null || true
  if [[ -n "${podman_home:-}" ]]; then podman_ system reset --force > /dev/null 2>&1 || true; fi
  if [[ -n "$remove_work" ]]; then rm -rf "$work"; fi
}

# A private Podman API whose containers run here (ENVIRONMENT.md: runc, cgroupfs, explicit ulimits), with its own store,
# containers.conf and networks under $work/podman: socket $work/podman/podman.sock; podman_ is its CLI. Stopped, its
# containers removed and its store reset on exit; so are the build-run HAProxys under $1, the deploy state folder.
start_private_podman() {
  podman_home="$work/podman" deploy_state="$1"
  mkdir -p "$podman_home"
  local nofile; nofile="$(ulimit -n)"
  printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=4096:4096"]\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\n[network]\nnetwork_config_dir = "%s/networks"\n' \
    "$nofile" "$nofile" "$podman_home" > "$podman_home/containers.conf"
  # exec: $! must be podman itself, so cleanup stops it (a backgrounded function is a subshell that would outlive its kill).
  (CONTAINERS_CONF="$podman_home/containers.conf" exec podman --root "$podman_home/storage" --runroot "$podman_home/run" --tmpdir "$podman_home/tmp" system service --time=0 "unix://$podman_home/podman.sock") > "$podman_home/podman.log" 2>&1 &
  echo $! >> "$pidfile"
  for _ in $(seq 100); do [[ -S "$podman_home/podman.sock" ]] && break; sleep 0.1; done
}

podman_() { CONTAINERS_CONF="$podman_home/containers.conf" podman --root "$podman_home/storage" --runroot "$podman_home/run" --tmpdir "$podman_home/tmp" "$@"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# Starts a fresh, open registry with its data under $work; prints host:port once it answers.
registry() {
  local port dir; port=$(free_port); dir="$work/registry-$port"; mkdir -p "$dir"
  cat > "$dir/config.yml" <<YML
version: 0.1
log: { level: error, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: $dir/data }, delete: { enabled: true } }
http: { addr: 127.0.0.1:$port }
YML
  # docker-registry reads every REGISTRY_* variable as a config override: start it without ours.
  (
    while read -r name; do unset "$name"; done < <(compgen -e | grep '^REGISTRY_' || true)
    exec docker-registry serve "$dir/config.yml"
  ) > "$dir/log" 2>&1 &
  echo $! >> "$pidfile"
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/v2/" > /dev/null && break; sleep 0.05; done
  echo "127.0.0.1:$port"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# Seconds between two `date +%s%N` readings, to the millisecond.
secs() { python3 -c "print(f'{($2 - $1) / 1e9:.3f}')"; }

# The self-contained ReadyToRun bench tool (bench/RegistryBench: the library code the build runs), published once
# (~45 s) so the timed work is the copy, not the JIT.
publish_registry_bench() {
  dotnet publish bench/RegistryBench/RegistryBench.csproj -c Release -o "$work/bin" -nologo -v quiet > /dev/null
}

bench() { "$work/bin/RegistryBench" "$@"; }
