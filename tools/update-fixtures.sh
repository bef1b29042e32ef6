#!/usr/bin/env bash
# Regenerates the expected outputs of the bundled logs.
#
#   tools/update-fixtures.sh            # expected outputs of every fixtures/format-v*/ log
#   tools/update-fixtures.sh --demo     # also rewrite the current version's demo log first
#
# A log of a released format version is never rewritten: its expected
# outputs change only when a metric set's version changes, and the diff of
# the expected files is the review of that change.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product trace-analyze --product demo-agent >/dev/null
bin=$(swift build --show-bin-path)
if [[ "${1:-}" == "--demo" ]]; then
  "$bin/demo-agent" fixtures/format-v1/demo-run.zst
fi
for dir in fixtures/format-v*/; do
  for log in "$dir"*.zst; do
    name=$(basename "$log" .zst)
    for set in default ipw; do
      for view in turn query run; do
        "$bin/trace-analyze" "$log" --by "$view" --metrics "$set" --format csv --quiet \
          > "$dir/expected/$name.$set.$view.csv"
      done
    done
  done
done
echo "expected outputs written under fixtures/format-v*/expected/"
