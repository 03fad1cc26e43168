#!/usr/bin/env bash
# Runs each module under `wasmscope run` and under node's node:wasi
# (node_wasi_run.mjs) and requires the same stdout and exit status: for
# programs outside the samples that the differential test does not cover,
# such as the -msimd128 program of the profiler tests. A module's output
# must not be empty (a program that printed nothing proves nothing).
#
#   same_output_as_node.sh WASMSCOPE NODE MODULE...
#
# Exits 0 when every module agrees, 1 otherwise, 77 (skip) without node.
set -u
if [[ $# -lt 3 ]]; then
  echo "usage: $0 WASMSCOPE NODE MODULE..." >&2
  exit 2
fi
wasmscope=$1
node=$2
shift 2
runner=$(realpath "$(dirname "$0")/node_wasi_run.mjs")
if [[ -z $node || ! -x $node ]]; then
  echo "SKIP: node not found"
  exit 77
fi
fail=0
for module in "$@"; do
  want=$("$node" "$runner" "$module" </dev/null)
  want_status=$?
  got=$("$wasmscope" run "$module" </dev/null)
  got_status=$?
  if [[ -z $want ]]; then
    echo "FAIL: $module: node printed nothing (status $want_status)"
    fail=1
  elif [[ $got != "$want" || $got_status -ne $want_status ]]; then
    echo "FAIL: $module: wasmscope printed [$got] (status $got_status), node [$want] (status $want_status)"
    fail=1
  else
    echo "PASS: $module: $got"
  fi
done
exit $fail
