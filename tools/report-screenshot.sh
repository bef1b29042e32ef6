#!/usr/bin/env bash
# Renders the HTML report of a log with headless Chromium and saves a PNG,
# to check the report as a person sees it.
#
#   tools/report-screenshot.sh [LOG] [OUT.png]
#   tools/report-screenshot.sh --docs     # the three images in docs/: a 3-query and a
#                                         # 1 000-query demo run at 1280 px, the 3-query
#                                         # run at a print width (800 px)
#
# Defaults: the bundled demo log and docs/report-3-queries.png; WIDTH and
# HEIGHT set the window (1280 × 2000).
# Needs chromium (Debian: apt-get install -y chromium) and a built
# trace-analyze (swift build).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
binary="${TRACE_ANALYZE:-$root/.build/debug/trace-analyze}"
if [[ "${1:-}" == "--docs" ]]; then
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    demo="$(dirname "$binary")/demo-agent"
    "$demo" "$work/q3.zst" --queries 3 >/dev/null
    "$demo" "$work/q1000.zst" --queries 1000 >/dev/null
    WIDTH=1280 HEIGHT=2200 "$0" "$work/q3.zst" "$root/docs/report-3-queries.png"
    WIDTH=1280 HEIGHT=1400 "$0" "$work/q1000.zst" "$root/docs/report-1000-queries.png"
    WIDTH=800 HEIGHT=2600 "$0" "$work/q3.zst" "$root/docs/report-print-width.png"
    exit 0
fi
log="${1:-$root/fixtures/format-v3/demo-run.zst}"
out="${2:-$root/docs/report-3-queries.png}"
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [[ -z "$browser" ]]; then
    echo "report-screenshot: chromium not found (apt-get install -y chromium)" >&2
    exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$binary" report "$log" -o "$work/report.html"
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="${WIDTH:-1280},${HEIGHT:-2000}" --screenshot="$work/shot.png" "file://$work/report.html" 2>/dev/null
# Keep the committed image small: quantise colours when a tool for it exists.
if command -v pngquant >/dev/null; then
    pngquant --force --output "$out" 64 "$work/shot.png"
else
    cp "$work/shot.png" "$out"
fi
echo "$out: $(wc -c <"$out") bytes"
