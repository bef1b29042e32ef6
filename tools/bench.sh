#!/usr/bin/env bash
# Measurements that need a shell, next to their physical floors:
#   - demo-agent logs of 1×, 10×, 100× (100, 1000, 10000 queries) in .bench/
#   - `zstd -dc LOG > /dev/null` (the floor) vs `trace-analyze LOG --by query|turn`:
#     wall time (median of N runs), events/s, peak RSS (/usr/bin/time)
#   - on-disk bytes/event vs the same events as JSON Lines compressed with `zstd -3`
#   - `trace-analyze import` lines/s
# Usage: tools/bench.sh [RUNS]   (default 5; the 100× analysis runs once)
# Then the package-benchmark suite: cd Benchmarks && swift package --allow-writing-to-package-directory benchmark
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
export PATH=/opt/swift/usr/bin:$PATH
swift build -c release --product trace-analyze >&2
swift build -c release --product demo-agent >&2
BIN=.build/release
mkdir -p .bench
for q in 100 1000 10000; do
  [ -s .bench/demo-$q.zst ] || $BIN/demo-agent .bench/demo-$q.zst --queries $q --segment-bytes 1048576 >&2
done

# median wall seconds of RUNS runs of a command (stdout and stderr discarded)
median() {
  local runs=$1; shift
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000 ))
  done | sort -n | awk '{a[NR]=$1} END {printf "%.4f\n", a[int((NR+1)/2)] / 1e6}'
}
peak_kb() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }
events_of() { $BIN/trace-analyze verify "$1" | sed -n 's/.*segments, \([0-9]*\) events.*/\1/p'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -r)"
echo "swift: $(swift --version 2>&1 | head -1)"
echo "zstd: $(zstd --version)"
echo
printf "%-6s %10s %10s %10s %8s %10s %12s %10s %8s %10s\n" size events zstd-dc_s query_s ratio turn_s query_Mev/s query_MB turn_MB zstd_MB
for q in 100 1000 10000; do
  log=.bench/demo-$q.zst
  n=$(events_of $log)
  r=$RUNS; [ $q = 10000 ] && r=1
  zs=$(median $RUNS zstd -dc $log)
  qs=$(median $r $BIN/trace-analyze $log --by query --quiet)
  ts=$(median $r $BIN/trace-analyze $log --by turn --quiet)
  qm=$(peak_kb $BIN/trace-analyze $log --by query --quiet)
  tm=$(peak_kb $BIN/trace-analyze $log --by turn --quiet)
  zm=$(peak_kb zstd -dc $log)
  case $q in 100) s=1x;; 1000) s=10x;; *) s=100x;; esac
  awk -v s=$s -v n=$n -v zs=$zs -v qs=$qs -v ts=$ts -v qm=$qm -v tm=$tm -v zm=$zm 'BEGIN {
    printf "%-6s %10d %10.3f %10.3f %8.1f %10.3f %12.2f %10.0f %8.0f %10.1f\n", s, n, zs, qs, (zs>0? qs/zs : 0), ts, n/qs/1e6, qm/1024, tm/1024, zm/1024 }'
done

echo
log=.bench/demo-1000.zst
$BIN/trace-analyze dump $log > .bench/demo-1000.jsonl
zstd -3 -q -f .bench/demo-1000.jsonl -o .bench/demo-1000.jsonl.zst
n=$(wc -l < .bench/demo-1000.jsonl)
ours=$(stat -c %s $log); jz=$(stat -c %s .bench/demo-1000.jsonl.zst); jl=$(stat -c %s .bench/demo-1000.jsonl)
awk -v n=$n -v o=$ours -v jz=$jz -v jl=$jl 'BEGIN {
  printf "size (10x log, %d events): log %.2f B/event; JSON Lines %.1f B/event, zstd -3 %.2f B/event; log/jsonl.zst = %.3f\n", n, o/n, jl/n, jz/n, o/jz }'
is=$(median $RUNS $BIN/trace-analyze import .bench/demo-1000.jsonl -o .bench/import.zst)
awk -v n=$n -v s=$is 'BEGIN { printf "import: %d lines in %.2f s = %.2f M lines/s (median of runs)\n", n, s, n/s/1e6 }'

# Memory against telemetry: the same 1000 queries sampled at 20, 200 and
# 2000 Hz (437 k, 4.2 M, 42 M events). The streamed views hold no samples,
# so their peak RSS must stay flat; `--no-stream` (the whole-log reader, as
# the tool and model views use) is shown for the two smaller logs.
echo
printf "%-8s %10s %10s %10s %10s %12s %12s\n" rate events zstd-dc_s query_s query_MB Mev/s whole_MB
for hz in 20 200 2000; do
  log=.bench/hz-$hz.zst
  [ -s $log ] || $BIN/demo-agent $log --queries 1000 --sample-hz $hz --segment-bytes 1048576 >&2
  n=$(events_of $log)
  zs=$(median 1 zstd -dc $log)
  qs=$(median 1 $BIN/trace-analyze $log --by query --quiet)
  qm=$(peak_kb $BIN/trace-analyze $log --by query --quiet)
  wm=0; [ $hz != 2000 ] && wm=$(peak_kb $BIN/trace-analyze $log --by query --quiet --no-stream)
  awk -v hz=$hz -v n=$n -v zs=$zs -v qs=$qs -v qm=$qm -v wm=$wm 'BEGIN {
    printf "%-8s %10d %10.3f %10.3f %10.0f %12.2f %12s\n", hz " Hz", n, zs, qs, qm/1024, n/qs/1e6, (wm > 0 ? sprintf("%.0f", wm/1024) : "-") }'
done
