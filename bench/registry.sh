#!/usr/bin/env bash
# Registry client against skopeo, same run, same machine, real docker-registry servers on loopback.
#  (a) cold copy of a multi-layer image (5 x 13 MB incompressible layers, ~65 MB) between two fresh registries:
#      ours (`copy`, whole process incl. .NET start-up) vs `skopeo copy`, each into its own fresh registry, median of RUNS.
#  (b) promotion between two repositories of one registry: ours mounts every blob (bytes sent reported), vs skopeo copy.
#  (c) re-push of the archive after changing one layer: bytes sent must equal that layer (+ the new config).
#  (d) a registry that accepts connections and never answers: seconds until ours gives up (REGISTRY_TIMEOUT's default
#      budget, 30 s: the push would fail over then) vs skopeo copy (cut off at SILENT_CAP seconds if it never gives up);
#      then the same for a registry that answers every request with 503 (it must count as down within the same budget).
#  (e) the source cut half-way through every layer once (fault proxy in front of the source registry), Promote path
#      (registry -> registry) into a fresh repository, FAULT_RUNS times: every run must land the exact digest (skopeo inspect).
#  (f) 30 % of answers lost (the registry did the work, the connection is reset) while pushing one 80 MB layer
#      (production chunking: 4 MiB chunks above 64 MB), FAULT_RUNS times: every run within 60 s with the exact digest.
#  (g) the registry freezes in the middle of a chunk (stops reading, answers nothing more): seconds from the freeze
#      until the push gives it up and fails over (target <= 31 s at the default REGISTRY_TIMEOUT 30).
#      (e)-(g) run bench/RegistryFaultBench: real docker-registry servers behind the tests' RegistryFaultProxy.
#  (h) the whole-process `./build.sh Promote` of the 65 MB image to a fresh registry (this repository's build, --root on
#      a generated one-image repository, warm: one untimed run first) vs `skopeo copy`, median of RUNS, next to the
#      in-process copy: what the whole process adds is start-up and preflight, not the copy.
# PARTS picks parts (default abcdefgh), e.g. PARTS=ad ./bench/registry.sh.
# Needs: docker-registry, skopeo, dotnet, python3. Target: ours no slower than skopeo on (a); (d) within 30 s + slack.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-3}"
SILENT_CAP="${SILENT_CAP:-120}"
PARTS="${PARTS:-abcdefgh}"
FAULT_RUNS="${FAULT_RUNS:-10}"
part() { [[ $PARTS == *$1* ]]; }
LAYERS="${LAYERS:-5}"
LAYER_BYTES="${LAYER_BYTES:-13000000}"
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_init registry
publish_registry_bench

bench make-image "$work/v1.tar" "$LAYERS" "$LAYER_BYTES"
bench make-image "$work/v2.tar" "$LAYERS" "$LAYER_BYTES" 2
size=$(stat -c %s "$work/v1.tar")

source_registry=$(registry)
read -r _ _ _ _ _ digest < <(bench push "$work/v1.tar" "$source_registry/bench/app:v1" "$work/layout")
src="$source_registry/bench/app:v1"

# (a) cold copies, alternating, each into a fresh registry.
ours_a=(); ours_in=(); skopeo_a=()
runs_a="$RUNS"
part a || runs_a=0 # not RUNS itself: PARTS=h needs RUNS for its own loop
for _ in $(seq "$runs_a"); do
  target=$(registry)
  s=$(date +%s%N); read -r inproc sent_a _ _ _ ours_digest < <(bench copy "$src" "$target/bench/app:v1"); e=$(date +%s%N)
  ours_a+=("$(secs "$s" "$e")"); ours_in+=("$inproc")
  target=$(registry)
  s=$(date +%s%N); skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false "docker://$src" "docker://$target/bench/app:v1"; e=$(date +%s%N)
  skopeo_a+=("$(secs "$s" "$e")")
  skopeo_digest=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$target/bench/app:v1")
done
if part a; then
ours_med=$(printf '%s\n' "${ours_a[@]}" | median)
ours_in_med=$(printf '%s\n' "${ours_in[@]}" | median)
skopeo_med=$(printf '%s\n' "${skopeo_a[@]}" | median)
ratio=$(python3 -c "print(f'{$ours_med / $skopeo_med:.2f}')")
fi

# (b) promotion within one registry: staging -> release repository.
if part b; then
s=$(date +%s%N); read -r _ sent_b _ _ mounted_b _ < <(bench copy "$src" "$source_registry/release/app:v1"); e=$(date +%s%N)
ours_b=$(secs "$s" "$e")
s=$(date +%s%N); skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false "docker://$src" "docker://$source_registry/skopeo-release/app:v1"; e=$(date +%s%N)
skopeo_b=$(secs "$s" "$e")
fi

# (c) re-push after changing layer 3 of 5.
if part c; then
read -r _ sent_c uploaded_c present_c _ _ < <(bench push "$work/v2.tar" "$source_registry/bench/app:v2" "$work/layout")
changed_layer=$(bench diff-layers "$work/v1.tar" "$work/v2.tar" "$work/layout")
read -r layer_bytes config_bytes changed_count <<< "$changed_layer"
fi

# (d) silence: the kernel completes the handshakes (listen backlog), nobody ever reads or answers.
if part d; then
python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(64); open(sys.argv[1],"w").write(str(s.getsockname()[1])); time.sleep(3600)' "$work/hole" &
echo $! >> "$pidfile"
for _ in $(seq 100); do [[ -s $work/hole ]] && break; sleep 0.05; done
hole="127.0.0.1:$(cat "$work/hole")"
s=$(date +%s%N); bench copy "$src" "$hole/bench/app:v1" > /dev/null 2>&1 && ours_d_rc=0 || ours_d_rc=$?; e=$(date +%s%N)
ours_d=$(secs "$s" "$e")
s=$(date +%s%N); timeout "$SILENT_CAP" skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false "docker://$src" "docker://$hole/bench/app:v1" > /dev/null 2>&1 && skopeo_d_rc=0 || skopeo_d_rc=$?; e=$(date +%s%N)
skopeo_d=$(secs "$s" "$e")
[[ $skopeo_d_rc == 124 ]] && skopeo_d_note="still waiting when cut off" || skopeo_d_note="gave up, exit $skopeo_d_rc"

# (d) 5xx: an HTTP server that answers every request 503 (an overloaded registry behind its load balancer).
python3 - "$work/sick" <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n: self.rfile.read(n)
        self.send_response(503); self.send_header("Content-Length", "0"); self.send_header("Connection", "close"); self.end_headers()
    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = answer
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_address[1]))
s.serve_forever()
PY
echo $! >> "$pidfile"
for _ in $(seq 100); do [[ -s $work/sick ]] && break; sleep 0.05; done
sick="127.0.0.1:$(cat "$work/sick")"
s=$(date +%s%N); bench copy "$src" "$sick/bench/app:v1" > /dev/null 2>&1 && ours_e_rc=0 || ours_e_rc=$?; e=$(date +%s%N)
ours_e=$(secs "$s" "$e")
s=$(date +%s%N); timeout "$SILENT_CAP" skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false "docker://$src" "docker://$sick/bench/app:v1" > /dev/null 2>&1 && skopeo_e_rc=0 || skopeo_e_rc=$?; e=$(date +%s%N)
skopeo_e=$(secs "$s" "$e")
[[ $skopeo_e_rc == 124 ]] && skopeo_e_note="still retrying when cut off" || skopeo_e_note="gave up, exit $skopeo_e_rc"
fi

# (e)-(g) faults, in process, production client options.
if part e || part f || part g; then
  dotnet build bench/RegistryFaultBench/RegistryFaultBench.csproj -c Release -o "$work/faultbin" -nologo -v quiet > /dev/null
  faults() { dotnet "$work/faultbin/RegistryFaultBench.dll" "$@" 2> >(sed 's/^/    /' >> "$work/faults.log"); }
  if part e; then read -r cut_ok cut_med cut_max _ < <(faults source-cut "$FAULT_RUNS" "$LAYERS" "$LAYER_BYTES" || true); fi
  if part f; then read -r lost_ok lost_med lost_max lost_dropped < <(faults lost-answers "$FAULT_RUNS" 80000000 || true); fi
  if part g; then read -r freeze_s freeze_outcome _ < <(faults freeze 80000000 || true); fi
fi

# (h) whole process: ./build.sh Promote (this repository's build on a generated one-image repository) vs skopeo copy.
if part h; then
  gen="$work/promote-repo"
  mkdir -p "$gen/.nuke" && printf 'artifacts/\n.nuke/temp/\n' > "$gen/.gitignore"
  git -C "$gen" init -q -b main && git -C "$gen" add -A && git -C "$gen" -c user.name=bench -c user.email=bench@example.test commit -q -m init
  promote() { ./build.sh Promote --root "$gen" --promote-from "$src" --promote-to "$1/bench/app" --promote-tags v1 > "$work/promote.log" 2>&1 || { tail -20 "$work/promote.log"; echo "FAIL: ./build.sh Promote"; exit 1; }; }
  promote "$(registry)" # untimed: compiles the build if needed
  ours_h=(); skopeo_h=(); inproc_h=()
  for _ in $(seq "$RUNS"); do
    target=$(registry)
    s=$(date +%s%N); promote "$target"; e=$(date +%s%N)
    ours_h+=("$(secs "$s" "$e")")
    promote_digest=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$target/bench/app:v1")
    target=$(registry)
    s=$(date +%s%N); skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false "docker://$src" "docker://$target/bench/app:v1"; e=$(date +%s%N)
    skopeo_h+=("$(secs "$s" "$e")")
    target=$(registry)
    read -r inproc _ < <(bench copy "$src" "$target/bench/app:v1"); inproc_h+=("$inproc")
  done
  ours_h_med=$(printf '%s\n' "${ours_h[@]}" | median)
  skopeo_h_med=$(printf '%s\n' "${skopeo_h[@]}" | median)
  inproc_h_med=$(printf '%s\n' "${inproc_h[@]}" | median)
  ratio_h=$(python3 -c "print(f'{$ours_h_med / $skopeo_h_med:.2f}')")
fi

echo "load: $(uptime | sed 's/.*load average: //')"
echo "image: $LAYERS layers, archive $(( size / 1000000 )) MB, digest $digest"
if part a; then
echo "(a) cold copy between two fresh registries, median of $RUNS (whole process):"
echo "    ours   ${ours_med} s  (runs: ${ours_a[*]}; ${sent_a} bytes sent; digest kept: $([[ $ours_digest == "$digest" ]] && echo yes || echo NO))"
echo "    skopeo ${skopeo_med} s  (runs: ${skopeo_a[*]}; digest kept: $([[ $skopeo_digest == "$digest" ]] && echo yes || echo NO))"
echo "    ours in process (copy only, after .NET start-up and JIT): ${ours_in_med} s"
echo "    ratio ours/skopeo: ${ratio}   [target <= 1.00]"
fi
if part b; then
echo "(b) promotion between two repositories of one registry:"
echo "    ours   ${ours_b} s, ${sent_b} bytes sent, ${mounted_b} blobs mounted"
echo "    skopeo ${skopeo_b} s"
fi
if part c; then
echo "(c) re-push after changing 1 of $LAYERS layers:"
echo "    ${sent_c} bytes sent = changed layer ${layer_bytes} + new config ${config_bytes} ($(( sent_c == layer_bytes + config_bytes )) = exact); ${uploaded_c} blobs uploaded, ${present_c} already there ($changed_count layer changed)"
fi
if part d; then
echo "(d) a registry that accepts connections and never answers:"
echo "    ours   ${ours_d} s until it counts as down (exit $ours_d_rc; default budget 30 s)"
echo "    skopeo ${skopeo_d} s (${skopeo_d_note}; cap ${SILENT_CAP} s)"
echo "(d) a registry that answers every request 503:"
echo "    ours   ${ours_e} s until it counts as down (exit $ours_e_rc; default budget 30 s)"
echo "    skopeo ${skopeo_e} s (${skopeo_e_note}; cap ${SILENT_CAP} s)"
fi
if part e; then
echo "(e) source cut half-way through every layer once, Promote path into a fresh repository, $FAULT_RUNS runs:"
echo "    ${cut_ok:-0/$FAULT_RUNS} landed with the exact digest (skopeo inspect); median ${cut_med:-?} s, slowest ${cut_max:-?} s   [target $FAULT_RUNS/$FAULT_RUNS]"
fi
if part f; then
echo "(f) 30 % of answers lost, one 80 MB layer (4 MiB chunks), $FAULT_RUNS runs:"
echo "    ${lost_ok:-0/$FAULT_RUNS} within 60 s with the exact digest; median ${lost_med:-?} s, slowest ${lost_max:-?} s, ~${lost_dropped:-?} answers lost per run   [target $FAULT_RUNS/$FAULT_RUNS]"
fi
if part g; then
echo "(g) registry frozen in the middle of a chunk (REGISTRY_TIMEOUT 30):"
echo "    given up ${freeze_s:-?} s after the freeze (${freeze_outcome:-?})   [target <= 31 s]"
fi
if part e || part f || part g; then sed -n '1,40p' "$work/faults.log"; fi
if part h; then
echo "(h) whole process: ./build.sh Promote of the image to a fresh registry vs skopeo copy, median of $RUNS:"
echo "    ours   ${ours_h_med} s  (runs: ${ours_h[*]}; digest kept: $([[ $promote_digest == "$digest" ]] && echo yes || echo NO))"
echo "    skopeo ${skopeo_h_med} s  (runs: ${skopeo_h[*]})"
echo "    ours in process (the copy alone): ${inproc_h_med} s"
echo "    ratio ours/skopeo: ${ratio_h}"
fi
