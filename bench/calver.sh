#!/usr/bin/env bash
# TagCalVer's next-tag computation against a bare remote holding 10,000 annotated CalVer tags (target: under 0.2 s).
# Ours: one `git ls-remote --tags origin 'v*'`, parsed and numbered in process (median of warm runs, plus the whole
# process including .NET start-up). Peer, same run, same remote: what common tag-bumping actions do
# (e.g. anothrNick/github-tag-action, mathieudutour/github-tag-action): `git fetch --tags` into the clone, then
# `git tag --list 'v*' --sort=-v:refname | head -1`.
set -euo pipefail
cd "$(dirname "$0")/.."
TAGS="${TAGS:-10000}"
RUNS="${RUNS:-9}"
work=".nuke/temp/bench/calver"
rm -rf "$work" && mkdir -p "$work"
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@localhost GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@localhost

# A remote with $TAGS annotated tags, created in one fast-import stream (minutes with `git tag` per tag).
git init --quiet --bare "$work/origin.git"
git clone --quiet "$work/origin.git" "$work/seed" 2> /dev/null
git -C "$work/seed" commit --quiet --allow-empty -m "seed"
git -C "$work/seed" push --quiet origin HEAD:refs/heads/main
head=$(git -C "$work/seed" rev-parse HEAD)
python3 - "$TAGS" "$head" > "$work/tags.stream" <<'PY'
import sys, datetime
count, head = int(sys.argv[1]), sys.argv[2]
day, n, out = datetime.date(2020, 1, 1), 0, []
while n < count:
    for i in range(1, 4):                      # three releases a day
        if n == count: break
        name = f"v{day:%y.%m.%d}.{i}"
        msg = f"Release {name}\n".encode()
        out.append(f"tag {name}\nfrom {head}\ntagger bench <bench@localhost> 1700000000 +0000\ndata {len(msg)}\n")
        out.append(msg.decode())
        n += 1
    day += datetime.timedelta(days=1)
sys.stdout.write("".join(out))
PY
git -C "$work/origin.git" fast-import --quiet < "$work/tags.stream"
git -C "$work/origin.git" pack-refs --all
listed=$(git -C "$work/origin.git" for-each-ref refs/tags | wc -l)

dotnet build bench/CalVerBench/CalVerBench.csproj -c Release -o "$work/bin" -nologo -v quiet > /dev/null
git clone --quiet --no-tags "$work/origin.git" "$work/ours" 2> /dev/null

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

read -r count next inproc < <(dotnet "$work/bin/CalVerBench.dll" "$work/ours" "$RUNS")
process=$(for _ in $(seq "$RUNS"); do s=$(date +%s%N); dotnet "$work/bin/CalVerBench.dll" "$work/ours" 1 > /dev/null; e=$(date +%s%N); ms "$s" "$e"; done | median)
lsremote=$(for _ in $(seq "$RUNS"); do s=$(date +%s%N); git -C "$work/ours" ls-remote --tags origin 'v*' > /dev/null; e=$(date +%s%N); ms "$s" "$e"; done | median)
peer=$(for i in $(seq "$RUNS"); do
  rm -rf "$work/peer" && git clone --quiet --no-tags "$work/origin.git" "$work/peer" 2> /dev/null
  s=$(date +%s%N)
  git -C "$work/peer" fetch --quiet --tags origin
  git -C "$work/peer" tag --list 'v*' --sort=-v:refname | head -1 > /dev/null
  e=$(date +%s%N); ms "$s" "$e"
done | median)

echo "remote tags: $listed (listed by TagCalVer: $count); next tag: $next"
echo "TagCalVer next-tag, in process (ls-remote + parse + number): ${inproc} ms   [target < 200 ms]"
echo "TagCalVer next-tag, whole process incl. .NET start-up:        ${process} ms"
echo "bare git ls-remote --tags origin 'v*' (floor):                 ${lsremote} ms"
echo "peer (git fetch --tags + git tag --list --sort=-v:refname):    ${peer} ms"
awk -v a="$inproc" -v b="$peer" 'BEGIN { if (a > 0) printf "ratio peer / ours (in process): %.1fx\n", b / a }'
rm -rf "$work"
