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

# The analysis engine's targets (docs/PERFORMANCE.md, "Analysis engine"):
# a run shaped like the reported one (20 000 queries, about 2 M events: the
# demo agent sampled at 4 Hz) and an 8.8 M-event log (20 000 queries at
# 20 Hz), each figure a median where it says so, ratios taken in this run.
echo
shaped=.bench/issue-20k.zst
big=.bench/q20k.zst
[ -s $shaped ] || $BIN/demo-agent $shaped --queries 20000 --sample-hz 4 --segment-bytes 1048576 >&2
[ -s $big ] || $BIN/demo-agent $big --queries 20000 --segment-bytes 1048576 >&2
n=$(events_of $shaped)
zs=$(median $RUNS zstd -dc $shaped)
qs=$(median $RUNS $BIN/trace-analyze $shaped --by query --quiet)
qm=$(peak_kb $BIN/trace-analyze $shaped --by query --quiet)
tm=0; for view in turn tool model; do
  m=$(peak_kb $BIN/trace-analyze $shaped --by $view --quiet); [ "$m" -gt "$tm" ] && tm=$m
done
is=$(median 3 $BIN/trace-analyze $shaped --by turn --metrics ipw --quiet)
awk -v n=$n -v zs=$zs -v qs=$qs -v qm=$qm -v tm=$tm -v is=$is 'BEGIN {
  printf "engine, %d events, 20000 queries: zstd -dc %.3f s; --by query %.3f s = %.1fx zstd, %.2f M events/s\n", n, zs, qs, qs/zs, n/qs/1e6
  printf "  peak RSS --by query %.0f MB = %.1f KB/query; largest of turn/tool/model %.0f MB = %.1f KB/query\n", qm/1024, qm/20000, tm/1024, tm/20000
  printf "  --by turn --metrics ipw (whole process) %.3f s\n", is }'
if [ -d ../shared/seeds ]; then
  $BIN/trace-analyze dump $shaped | python3 tools/ipw-seed-bench.py | sed 's/^/  /'
fi
nb=$(events_of $big)
printf "commands on %d events:" "$nb"
for cmd in perfetto report verify dump import; do
  case $cmd in
    perfetto) m=$(peak_kb $BIN/trace-analyze perfetto $big -o .bench/big.json) ;;
    report) m=$(peak_kb $BIN/trace-analyze report $big -o .bench/big.html) ;;
    verify) m=$(peak_kb $BIN/trace-analyze verify $big) ;;
    dump) m=$(peak_kb $BIN/trace-analyze dump $big) ;;
    import) $BIN/trace-analyze dump $big > .bench/big.jsonl; m=$(peak_kb $BIN/trace-analyze import .bench/big.jsonl -o .bench/big-import.zst); rm -f .bench/big.jsonl ;;
  esac
  printf " %s %.0f MB;" $cmd $((m / 1024))
done
echo
# perfetto and report time as the samples double (the same 1000 queries).
for hz in 20 40 80; do
  log=.bench/hz-$hz.zst
  [ -s $log ] || $BIN/demo-agent $log --queries 1000 --sample-hz $hz --segment-bytes 1048576 >&2
  ps=$(median 1 $BIN/trace-analyze perfetto $log -o .bench/hz.json)
  rs=$(median 1 $BIN/trace-analyze report $log -o .bench/hz.html)
  printf "perfetto/report at %s Hz (%d events): %.2f s / %.2f s\n" $hz "$(events_of $log)" "$ps" "$rs"
done
