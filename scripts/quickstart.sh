#!/usr/bin/env bash
# Sets everything up, builds, and shows wasmscope's main job on the bundled
# samples: a WASI program run in the sandbox, its symbols, and a trap
# reported with the source line it came from.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh

ws=build/wasmscope
samples=build/samples
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo
echo "== wasmscope run: a WASI program with args, env and a preopened directory"
echo "\$ wasmscope run --dir $work::/sandbox --env GREETING=hello $samples/hello.O0.wasm alice bob"
"$ws" run --dir "$work::/sandbox" --env GREETING=hello "$samples/hello.O0.wasm" alice bob

echo
echo "== wasmscope run: a trap, with a symbolicated backtrace"
echo "\$ wasmscope run $samples/out_of_bounds.O0.wasm"
"$ws" run "$samples/out_of_bounds.O0.wasm" || echo "(exit status $? = trap)"
