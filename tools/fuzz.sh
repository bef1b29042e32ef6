#!/usr/bin/env bash
# Builds and runs a libFuzzer target for N minutes.
#
#   tools/fuzz.sh TARGET MINUTES [libFuzzer options...]
#   tools/fuzz.sh build              # build every target, run none
#   tools/fuzz.sh structured N [SEED] # the structure-aware fuzzer: N well-formed logs of
#                                     # extreme values (tools/hostile-logs), every command
#                                     # of a release trace-analyze over each; a log that
#                                     # crashes or hangs one is kept in
#                                     # fixtures/fuzz-corpus/structured/
#
# Targets (entry points in tools/fuzz/):
#   scanner    a whole log file's bytes: LogFileScanner (frames, resync,
#              segment decoding), then both metric sets and every renderer
#   segment    decompressed segment content: SegmentDecoder, then analysis
#   jsonl      JSON Lines interchange: InterchangeDecoder, and the
#              print/read-back round trip of every accepted line
#
# How it builds: SwiftPM cannot link a libFuzzer binary (its executables
# have their own main), so this compiles the module sources directly with
# swiftc: TraceLog, TraceInterchange and TraceAnalysis become static
# libraries instrumented with `-sanitize=fuzzer,address`, and the entry
# point links against them and libFuzzer's main. Output: .build/fuzz/.
#
# Seeds: fixtures/fuzz-corpus/TARGET/ (committed, read-only here). New
# inputs go to .build/fuzz/corpus/TARGET/; crashes to
# .build/fuzz/crashes/TARGET/ (crash-…, leak-…, timeout-…). A crash input
# becomes a regression test (Tests/TraceLogTests/FuzzRegressionTests.swift
# replays fixtures/fuzz-corpus/regressions/) and a fix.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swiftc >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swiftc ]]; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi
target=${1:?usage: tools/fuzz.sh scanner|segment|jsonl|structured|build MINUTES|N}
if [[ "$target" == "structured" ]]; then
  count=${2:?usage: tools/fuzz.sh structured N [FIRST-SEED]}
  swift build -c release --product trace-analyze >/dev/null
  swift build -c release --product structured-fuzz >/dev/null
  bin=$(swift build -c release --show-bin-path)
  exec "$bin/structured-fuzz" "$bin/trace-analyze" "$count" "${3:-1}" fixtures/fuzz-corpus/structured
fi
out=.build/fuzz
mkdir -p "$out"
flags=(-O -g -sanitize=fuzzer,address -parse-as-library -swift-version 6 -I Sources/CZstd -I "$out")

# Builds module $1 from Sources/$1 into $out/lib$1.a (+ .swiftmodule) when
# a source is newer than the library.
module() {
  local name=$1 lib="$out/lib$1.a"
  local sources=()
  while IFS= read -r f; do sources+=("$f"); done < <(find "Sources/$name" -name '*.swift' | sort)
  if [[ -f $lib ]] && [[ -z $(find "Sources/$name" -name '*.swift' -newer "$lib") ]]; then return; fi
  echo "fuzz: building $name" >&2
  swiftc "${flags[@]}" -module-name "$name" -emit-module -emit-module-path "$out/$name.swiftmodule" \
    -emit-library -static -o "$lib" "${sources[@]}"
}

# Links the fuzzer for target $1.
fuzzer() {
  local entry=() libs=()
  case $1 in
    scanner) entry=(tools/fuzz/FuzzScanner.swift tools/fuzz/FuzzAnalysis.swift); libs=(-lTraceAnalysis -lTraceLog) ;;
    segment) entry=(tools/fuzz/FuzzSegment.swift tools/fuzz/FuzzAnalysis.swift); libs=(-lTraceAnalysis -lTraceLog) ;;
    jsonl) entry=(tools/fuzz/FuzzJSONLines.swift); libs=(-lTraceInterchange -lTraceLog) ;;
    *) echo "unknown target: $1 (scanner, segment, jsonl)" >&2; exit 2 ;;
  esac
  module TraceLog
  module TraceInterchange
  module TraceAnalysis
  local bin="$out/fuzz-$1"
  if [[ ! -x $bin ]] || [[ -n $(find "${entry[@]}" "$out"/*.a -newer "$bin") ]]; then
    echo "fuzz: linking $bin" >&2
    # (gold warns about every local ASan symbol it cannot export: noise.)
    swiftc "${flags[@]}" -module-name "Fuzz_$1" -L "$out" "${libs[@]}" -lzstd "${entry[@]}" -o "$bin" 2>&1 \
      | { grep -v "Cannot export local symbol" || true; } >&2
  fi
}

if [[ $target == build ]]; then
  for t in scanner segment jsonl; do fuzzer "$t"; done
  exit 0
fi
minutes=${2:?usage: tools/fuzz.sh TARGET MINUTES}
shift 2
fuzzer "$target"
corpus="$out/corpus/$target" crashes="$out/crashes/$target"
mkdir -p "$corpus" "$crashes"
seeds=(fixtures/fuzz-corpus/$target)
[[ $target == scanner ]] && seeds+=(fixtures/format-v1)
dict=()
[[ -f tools/fuzz/$target.dict ]] && dict=(-dict="tools/fuzz/$target.dict")
seconds=$(awk "BEGIN { printf \"%d\", $minutes * 60 }")
echo "fuzz: running $target for ${seconds}s" >&2
# -rss_limit_mb bounds memory: an input that makes the reader allocate
# without bound is a finding. -max_len covers a few segments.
"$out/fuzz-$target" "$corpus" "${seeds[@]}" -max_total_time="$seconds" -artifact_prefix="$crashes/" \
  -rss_limit_mb=2048 -max_len=65536 -timeout=10 -print_final_stats=1 "${dict[@]}" "$@"
