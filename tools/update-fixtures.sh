#!/usr/bin/env bash
# Regenerates the expected outputs of the bundled logs.
#
#   tools/update-fixtures.sh            # expected outputs of every fixtures/format-v*/ log
#   tools/update-fixtures.sh --demo     # also (re)write the current version's demo log first,
#                                       # fixtures/format-vN/demo-run.zst, N = SegmentHeader.currentFormatVersion
#
# A log of a released format version is never rewritten: its expected
# outputs change only when a metric set's version or a view's columns
# change, and the diff of the expected files is the review of that change.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product trace-analyze >/dev/null
swift build --product demo-agent >/dev/null
bin=$(swift build --show-bin-path)
if [[ "${1:-}" == "--demo" ]]; then
  version=$(sed -n 's/.*static let currentFormatVersion: UInt64 = \([0-9]*\).*/\1/p' \
    Sources/TraceLog/Segment/SegmentHeader.swift)
  [[ -n "$version" ]] || { echo "update-fixtures: cannot find currentFormatVersion" >&2; exit 1; }
  mkdir -p "fixtures/format-v$version/expected"
  "$bin/demo-agent" "fixtures/format-v$version/demo-run.zst"
fi
for dir in fixtures/format-v*/; do
  for log in "$dir"*.zst; do
    name=$(basename "$log" .zst)
    for set in default default@2 default@1 ipw; do
      for view in turn query run; do
        "$bin/trace-analyze" "$log" --by "$view" --metrics "$set" --format csv --quiet \
          > "$dir/expected/$name.$set.$view.csv"
      done
    done
  done
done
echo "expected outputs written under fixtures/format-v*/expected/"
