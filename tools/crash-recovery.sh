#!/usr/bin/env bash
# Crash-recovery test: SIGKILLs a recording process at random moments and
# checks what it left behind.
#
#   tools/crash-recovery.sh [COUNT]          (default 20)
#
# Each round starts `stress-recorder record` (mark events 0, 1, 2, … at
# RATE events/s with the real clock, segments closing every FLUSH_MS), kills
# it with SIGKILL after a random 0.2 s … MAX_MS, then:
#   - `trace-analyze verify`, `dump`, and analysis with both metric sets and
#     every view must finish without crashing (exit 0, or 1 for a log that
#     is torn or empty), naming the file in every message;
#   - `dump` must print every event the log holds;
#   - `stress-recorder check`: the log holds marks 0…M in order, once each,
#     and M reaches every mark recorded more than BOUND_MS before the kill.
# BOUND_MS defaults to FLUSH_MS + 250 (one flush interval, plus time for the
# writer thread to compress and write the last segment on a busy machine).
#
# Then SLOW rounds (default 1) on a slow disk: the log is a FIFO that
# `stress-recorder drain` empties at DRAIN_RATE bytes/s (default 100000)
# into a file, so the recorder's queue fills and its callers wait
# (back-pressure); the kill comes after 2 to 4 s. The same checks run on
# what reached the file, and the loss bound must be met or have been
# reported: the recorder's last lag report before the kill said "the disk
# is behind" (`RecorderConfiguration.lagHandler`).
#
# Environment: BIN (default .build/debug; needs trace-analyze and
# stress-recorder, built by `swift build`), RATE (200000), FLUSH_MS (1000),
# MAX_MS (3000), BOUND_MS, SLOW (1), DRAIN_RATE (100000), KEEP=1 keeps the
# logs. Exits 1 on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-20}
bin=${BIN:-.build/debug}
rate=${RATE:-200000}
flush_ms=${FLUSH_MS:-1000}
max_ms=${MAX_MS:-3000}
bound_ms=${BOUND_MS:-$((flush_ms + 250))}
for tool in trace-analyze stress-recorder; do
  [[ -x $bin/$tool ]] || { echo "crash-recovery: $bin/$tool not built (swift build)" >&2; exit 2; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/crash-recovery.XXXXXX")
[[ ${KEEP:-0} == 1 ]] || trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "  FAIL: $*" >&2; failures=$((failures + 1)); }

# Runs a trace-analyze command into $work/out and $work/err; exit 0 or 1 is
# fine, anything else (a crash, a signal) is a failure. Sets $status.
survives() {
  status=0
  "$bin/trace-analyze" "$@" >"$work/out" 2>"$work/err" || status=$?
  if ((status > 1)); then fail "trace-analyze $* exited $status: $(head -c 2000 "$work/err")"; fi
  if grep -q -i -E "fatal error|stack dump" "$work/err"; then fail "trace-analyze $* crashed: $(head -c 2000 "$work/err")"; fi
}

slow=${SLOW:-1}
drain_rate=${DRAIN_RATE:-100000}
for ((round = 1; round <= count + slow; round++)); do
  log=$work/run-$round.zst progress=$work/run-$round.progress lags=$work/run-$round.lags
  if ((round <= count)); then
    "$bin/stress-recorder" record "$log" "$progress" --rate "$rate" --flush-ms "$flush_ms" 2>"$lags" &
    pid=$!
    delay_ms=$((200 + (RANDOM * 32768 + RANDOM) % (max_ms - 199)))
    kind=""
  else
    fifo=$work/run-$round.fifo
    mkfifo "$fifo"
    "$bin/stress-recorder" drain "$fifo" "$log" "$drain_rate" &
    drainer=$!
    "$bin/stress-recorder" record "$fifo" "$progress" --rate "$rate" --flush-ms "$flush_ms" 2>"$lags" &
    pid=$!
    delay_ms=$((2000 + (RANDOM * 32768 + RANDOM) % 2001))
    kind=" (slow disk: $drain_rate bytes/s)"
  fi
  sleep "$(awk "BEGIN { print $delay_ms / 1000 }")"
  killed_at=$(date +%s%N)
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null || true
  # The slow disk takes what the recorder had written into the FIFO.
  if ((round > count)); then wait "$drainer" || fail "stress-recorder drain failed"; fi
  size=$(stat -c %s "$log" 2>/dev/null || echo 0)
  echo "round $round$kind: killed after ${delay_ms} ms, log ${size} bytes"
  if ((round > count)); then
    grep "lag behind" "$lags" | head -1 | sed 's/^/  /' || true
  fi

  survives verify "$log"
  verify=$status
  # Every line of verify's report names the file, or is a diagnostic under it.
  if ! grep -q "^$log: " "$work/out"; then fail "verify output does not name the file: $(head -3 "$work/out")"; fi
  events=$(sed -n "s|^$log: [a-zA-Z]*: [0-9]* segments, \([0-9]*\) events.*|\1|p" "$work/out")
  if grep "^  " "$work/out" | grep -v -q "$log"; then fail "a verify message without the file name: $(cat "$work/out")"; fi
  survives dump "$log"
  dumped=$(wc -l <"$work/out")
  for set in default ipw; do
    for view in turn query run; do
      survives "$log" --metrics "$set" --by "$view" --format csv
      if [[ -s $work/err ]] && grep -v -q "$log" "$work/err"; then
        fail "a message without the file name: $(grep -v "$log" "$work/err" | head -3)"
      fi
    done
  done
  if ! "$bin/stress-recorder" check "$log" "$progress" "$killed_at" "$bound_ms" "$lags"; then
    fail "stress-recorder check (bound ${bound_ms} ms)"
  fi
  if [[ $events != "$dumped" ]]; then fail "dump printed $dumped lines for ${events:-?} events"; fi
  echo "  verify exit $verify, dump $dumped events"
done
if ((failures)); then
  echo "crash-recovery: $failures failures in $((count + slow)) rounds${KEEP:+ (logs in $work)}" >&2
  exit 1
fi
echo "crash-recovery: $count rounds and $slow on a slow disk, every log readable up to its torn tail, loss within ${bound_ms} ms or reported as it happened"
