#!/usr/bin/env bash
# Runs lldb_dap.test.js (lldb-dap-22 attached to the gdb-remote stub) under
# node's test runner, with the DAP client from tests/dap's node_modules.
# Exit status 77 (skip) when node, lldb-dap-22 or those node modules are
# missing. The environment comes from ctest (see CMakeLists.txt).
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
modules="$here/../dap/node_modules"
node="${NODE:-}"
[[ -n "$node" && -x "$node" ]] || node="$(command -v node || true)"
if [[ -z "$node" ]]; then
  echo "lldb_dap: skipped: node not found"
  exit 77
fi
if [[ ! -d "$modules/@vscode/debugadapter-testsupport" ]]; then
  echo "lldb_dap: skipped: run 'npm ci' in tests/dap first"
  exit 77
fi
if ! command -v "${LLDB_DAP:-lldb-dap-22}" >/dev/null 2>&1; then
  echo "lldb_dap: skipped: ${LLDB_DAP:-lldb-dap-22} not found"
  exit 77
fi
export NODE_PATH="$modules"
exec "$node" --test --test-reporter=spec "$here/lldb_dap.test.js"
