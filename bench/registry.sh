#!/usr/bin/env bash
# Registry client against skopeo, same run, same machine, real docker-registry servers on loopback.
#  (a) cold copy of a multi-layer image (5 x 13 MB incompressible layers, ~65 MB) between two fresh registries:
#      ours (`copy`, whole process incl. .NET start-up) vs `skopeo copy`, each into its own fresh registry, median of RUNS.
#  (b) promotion between two repositories of one registry: ours mounts every blob (bytes sent reported), vs skopeo copy.
#  (c) re-push of the archive after changing one layer: bytes sent must equal that layer (+ the new config).
#  (d) a registry that accepts connections and never answers: seconds until ours gives up (REGISTRY_TIMEOUT's default
#      budget, 30 s: the push would fail over then) vs skopeo copy (cut off at SILENT_CAP seconds if it never gives up).
# Needs: docker-registry, skopeo, dotnet, python3. Target: ours no slower than skopeo on (a); (d) within 30 s + slack.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-3}"
SILENT_CAP="${SILENT_CAP:-120}"
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
for _ in $(seq "$RUNS"); do
  target=$(registry)
  s=$(date +%s%N); read -r inproc sent_a _ _ _ ours_digest < <(bench copy "$src" "$target/bench/app:v1"); e=$(date +%s%N)
  ours_a+=("$(secs "$s" "$e")"); ours_in+=("$inproc")
  target=$(registry)
  s=$(date +%s%N); skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false "docker://$src" "docker://$target/bench/app:v1"; e=$(date +%s%N)
  skopeo_a+=("$(secs "$s" "$e")")
  skopeo_digest=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$target/bench/app:v1")
done
ours_med=$(printf '%s\n' "${ours_a[@]}" | median)
ours_in_med=$(printf '%s\n' "${ours_in[@]}" | median)
skopeo_med=$(printf '%s\n' "${skopeo_a[@]}" | median)
ratio=$(python3 -c "print(f'{$ours_med / $skopeo_med:.2f}')")

# (b) promotion within one registry: staging -> release repository.
s=$(date +%s%N); read -r _ sent_b _ _ mounted_b _ < <(bench copy "$src" "$source_registry/release/app:v1"); e=$(date +%s%N)
ours_b=$(secs "$s" "$e")
s=$(date +%s%N); skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false "docker://$src" "docker://$source_registry/skopeo-release/app:v1"; e=$(date +%s%N)
skopeo_b=$(secs "$s" "$e")

# (c) re-push after changing layer 3 of 5.
read -r _ sent_c uploaded_c present_c _ _ < <(bench push "$work/v2.tar" "$source_registry/bench/app:v2" "$work/layout")
changed_layer=$(bench diff-layers "$work/v1.tar" "$work/v2.tar" "$work/layout")
read -r layer_bytes config_bytes changed_count <<< "$changed_layer"

# (d) silence: the kernel completes the handshakes (listen backlog), nobody ever reads or answers.
python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(64); open(sys.argv[1],"w").write(str(s.getsockname()[1])); time.sleep(3600)' "$work/hole" &
echo $! >> "$pidfile"
for _ in $(seq 100); do [[ -s $work/hole ]] && break; sleep 0.05; done
hole="127.0.0.1:$(cat "$work/hole")"
s=$(date +%s%N); bench copy "$src" "$hole/bench/app:v1" > /dev/null 2>&1 && ours_d_rc=0 || ours_d_rc=$?; e=$(date +%s%N)
ours_d=$(secs "$s" "$e")
s=$(date +%s%N); timeout "$SILENT_CAP" skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false "docker://$src" "docker://$hole/bench/app:v1" > /dev/null 2>&1 && skopeo_d_rc=0 || skopeo_d_rc=$?; e=$(date +%s%N)
skopeo_d=$(secs "$s" "$e")
[[ $skopeo_d_rc == 124 ]] && skopeo_d_note="still waiting when cut off" || skopeo_d_note="gave up, exit $skopeo_d_rc"

echo "image: $LAYERS layers, archive $(( size / 1000000 )) MB, digest $digest"
echo "(a) cold copy between two fresh registries, median of $RUNS (whole process):"
echo "    ours   ${ours_med} s  (runs: ${ours_a[*]}; ${sent_a} bytes sent; digest kept: $([[ $ours_digest == "$digest" ]] && echo yes || echo NO))"
echo "    skopeo ${skopeo_med} s  (runs: ${skopeo_a[*]}; digest kept: $([[ $skopeo_digest == "$digest" ]] && echo yes || echo NO))"
echo "    ours in process (copy only, after .NET start-up and JIT): ${ours_in_med} s"
echo "    ratio ours/skopeo: ${ratio}   [target <= 1.00]"
echo "(b) promotion between two repositories of one registry:"
echo "    ours   ${ours_b} s, ${sent_b} bytes sent, ${mounted_b} blobs mounted"
echo "    skopeo ${skopeo_b} s"
echo "(c) re-push after changing 1 of $LAYERS layers:"
echo "    ${sent_c} bytes sent = changed layer ${layer_bytes} + new config ${config_bytes} ($(( sent_c == layer_bytes + config_bytes )) = exact); ${uploaded_c} blobs uploaded, ${present_c} already there ($changed_count layer changed)"
echo "(d) a registry that accepts connections and never answers:"
echo "    ours   ${ours_d} s until it counts as down (exit $ours_d_rc; default budget 30 s)"
echo "    skopeo ${skopeo_d} s (${skopeo_d_note}; cap ${SILENT_CAP} s)"
