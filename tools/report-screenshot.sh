#!/usr/bin/env bash
# Renders the HTML report of a log with headless Chromium and saves a PNG,
# to check the report as a person sees it.
#
#   tools/report-screenshot.sh [LOG] [OUT.png]
#
# Defaults: the bundled demo log and docs/report-screenshot.png.
# Needs chromium (Debian: apt-get install -y chromium) and a built
# trace-analyze (swift build).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
log="${1:-$root/fixtures/format-v1/demo-run.zst}"
out="${2:-$root/docs/report-screenshot.png}"
binary="${TRACE_ANALYZE:-$root/.build/debug/trace-analyze}"
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [[ -z "$browser" ]]; then
    echo "report-screenshot: chromium not found (apt-get install -y chromium)" >&2
    exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$binary" report "$log" -o "$work/report.html"
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="${WIDTH:-1400},${HEIGHT:-2000}" --screenshot="$work/shot.png" "file://$work/report.html" 2>/dev/null
# Keep the committed image small: quantise colours when a tool for it exists.
if command -v pngquant >/dev/null; then
    pngquant --force --output "$out" 64 "$work/shot.png"
else
    cp "$work/shot.png" "$out"
fi
echo "$out: $(wc -c <"$out") bytes"
