#!/usr/bin/env bash
# Makes the screenshots of docs/Inspector.md and the README with the
# inspector's headless mode, the same way its pixel tests render views
# (tests/inspector-gui/PixelTest.cpp): `wasmscope inspect --headless` on
# samples/request_handler, under Xvfb with Mesa's software renderer.
#
#   bash scripts/inspector-screenshots.sh [BUILD_DIR]    (default: build)
#
# Needs a build with the GUI (libimgui-dev, libglfw3-dev, libstb-dev) and
# xvfb-run (scripts/setup.sh installs them). Writes docs/images/inspector-*.png.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bin="$build/wasmscope"
sample="$build/samples/request_handler.O0.wasm"
out=docs/images
for need in "$bin" "$sample"; do
  [[ -e $need ]] || { echo "inspector-screenshots: $need is missing: build first" >&2; exit 2; }
done
command -v xvfb-run >/dev/null || { echo "inspector-screenshots: xvfb-run is missing (apt-get install xvfb)" >&2; exit 2; }
mkdir -p "$out"

shot() { # NAME ARGS...: one view, 1280x800
  local name=$1; shift
  xvfb-run -a "$bin" inspect --headless --frames 3 --size 1280x800 \
    --screenshot "$out/inspector-$name.png" "$@" 2>/dev/null
  echo "wrote $out/inspector-$name.png"
}

shot profile   --view profile   "$sample" 60
shot calltrace --view calltrace "$sample" 60
shot source    --view source --break request_handler.c:112 "$sample" 60

# The memory views, live with the heap profiler (request_handler's default
# run, where all three leaks happen), with one of the program's own leaked
# blocks selected: the first definitely lost block of an unsuppressed loss
# record in a saved memory profile of the same run.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" profile --memory -o "$tmp/rh.json" "$sample" >/dev/null 2>&1
leak=$(python3 - "$tmp/rh.json" <<'PY'
import json, sys
leak = json.load(open(sys.argv[1]))["memory"]["leakCheck"]
records = leak["lossRecords"]
def suppressed(record):
    return bool(record.get("suppressedBy")) if isinstance(record, dict) else False
for block, kind, *rest in leak["blocks"]:
    record = rest[-1]
    if kind == 0 and not suppressed(records[record]):
        print(block[0])
        break
PY
)
shot memory      --view memory --memory --select "$leak" "$sample"
shot allocations --view allocations --memory --select "$leak" "$sample"
shot timeline    --view timeline --memory "$sample"
