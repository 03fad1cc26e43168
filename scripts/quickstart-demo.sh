#!/usr/bin/env bash
# The demo part of the quick start (scripts/quickstart.sh runs it after
# set-up and build; ctest's quickstart_demo runs it on the build tree, so it
# cannot break silently): a WASI program run in the sandbox, a trap with its
# source line, the leak report of a leaking server loop, and the top of an
# instruction profile.
# usage: quickstart-demo.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
ws=$build/wasmscope
samples=$build/samples
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo
echo "== wasmscope run: a WASI program with args, env and a preopened directory"
echo "\$ wasmscope run --dir $work::/sandbox --env GREETING=hello $samples/hello.O0.wasm alice bob"
"$ws" run --dir "$work::/sandbox" --env GREETING=hello "$samples/hello.O0.wasm" alice bob

echo
echo "== wasmscope run: a trap, with a symbolicated backtrace"
echo "\$ wasmscope run $samples/out_of_bounds.O0.wasm"
status=0
"$ws" run "$samples/out_of_bounds.O0.wasm" || status=$?
[ "$status" -eq 134 ] || { echo "expected the trap's exit status 134, got $status" >&2; exit 1; }
echo "(exit status $status = trap)"

echo
echo "== wasmscope profile --memory: the leaks of a server loop, classified like Valgrind's memcheck"
echo "\$ wasmscope profile --memory-only -o $work/rh.json $samples/request_handler.O0.wasm 60 >/dev/null"
"$ws" profile --memory-only -o "$work/rh.json" "$samples/request_handler.O0.wasm" 60 >/dev/null 2>"$work/summary.txt"
grep -A5 "^LEAK SUMMARY:" "$work/summary.txt"
echo "\$ wasmscope report --leaks --top 3 $work/rh.json"
"$ws" report --leaks --top 3 "$work/rh.json" | sed -n '/loss record 1 of/,/^HEAP SUMMARY/p' | grep -v "^HEAP SUMMARY"

echo
echo "== wasmscope profile: exact instruction counts per function"
echo "\$ wasmscope profile --top 5 -o $work/compute.json $samples/compute.O2.wasm >/dev/null"
"$ws" profile --top 5 -o "$work/compute.json" "$samples/compute.O2.wasm" >/dev/null
