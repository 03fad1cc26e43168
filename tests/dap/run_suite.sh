#!/usr/bin/env bash
# Runs the DAP end-to-end suite (tests/dap/*.test.js) under node's test
# runner and ends with one summary line, "dap_suite: N passed, M failed".
# Paths come from the environment (ctest sets them; see CMakeLists.txt):
#   WASMSCOPE_BIN          the wasmscope binary
#   WASMSCOPE_SAMPLES_DIR  the built samples (NAME.O0.wasm, ...)
#   WASMSCOPE_SAMPLES_SRC  samples/ in the source tree (for line numbers)
#   WASMSCOPE_TEST_GUESTS  guests built for the tests (blocking.wasm, ...)
#   DAP_SCHEMA             debugAdapterProtocol.json
#   NODE                   node (optional; else found in PATH)
# Exit status 77 (skip) when node, node_modules or the samples are missing.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
node="${NODE:-}"
if [[ -z "$node" || ! -x "$node" ]]; then
  node="$(command -v node || true)"
fi
if [[ -z "$node" ]]; then
  echo "dap_suite: skipped: node not found"
  exit 77
fi
if [[ ! -d "$here/node_modules/@vscode/debugadapter-testsupport" || ! -d "$here/node_modules/ajv-draft-04" ]]; then
  echo "dap_suite: skipped: run 'npm ci' in $here first"
  exit 77
fi
if [[ ! -f "${WASMSCOPE_SAMPLES_DIR:-/nonexistent}/linked_structures.O0.wasm" ]]; then
  echo "dap_suite: skipped: wasm samples not built"
  exit 77
fi
if [[ ! -f "${DAP_SCHEMA:-/nonexistent}" ]]; then
  echo "dap_suite: skipped: DAP schema not found at '${DAP_SCHEMA:-}'"
  exit 77
fi

log="$(mktemp)"
stats="$(mktemp)"
trap 'rm -f "$log" "$stats"' EXIT
export DAP_SCHEMA_STATS="$stats"
cd "$here"
"$node" --test --test-reporter=spec --test-concurrency=2 "$here"/*.test.js 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# node's spec reporter ends with "ℹ pass N" and "ℹ fail N".
passed="$(grep -aE '^. pass [0-9]+$' "$log" | tail -1 | grep -oE '[0-9]+$')"
failed="$(grep -aE '^. fail [0-9]+$' "$log" | tail -1 | grep -oE '[0-9]+$')"
# Every test file's process adds "MESSAGES VIOLATIONS" to $stats.
read -r messages violations < <(awk '{m += $1; v += $2} END {print m + 0, v + 0}' "$stats")
echo "dap_suite: ${messages} adapter messages validated against the DAP schema, ${violations} violations"
echo "dap_suite: ${passed:-0} passed, ${failed:-0} failed"
if [[ -z "$passed" || "$violations" != 0 ]]; then
  exit 1
fi
exit "$status"
