#!/usr/bin/env bash
# cli_run_limits: `wasmscope run` against hostile or heavy guests, as a user
# meets them: limits give the documented exit status and one clear line,
# never an abort. Modules are written in the text format and converted with
# wat2wasm here.
#
#   run_limits.sh WASMSCOPE
set -u
wasmscope=$1
failures=0
passes=0
work=$(mktemp -d /tmp/wasmscope-cli-XXXXXX)
trap 'rm -rf "$work"' EXIT

pass() { echo "PASS $1"; passes=$((passes + 1)); }
failed() {
  echo "FAIL $1"
  shift
  printf '  %s\n' "$@"
  failures=$((failures + 1))
}

# wat NAME TEXT: writes $work/NAME.wasm.
wat() {
  printf '%s\n' "$2" >"$work/$1.wat"
  wat2wasm "$work/$1.wat" -o "$work/$1.wasm" || { echo "wat2wasm failed for $1"; exit 1; }
}

# check NAME STATUS PATTERN -- COMMAND...: runs COMMAND; its exit status must
# be STATUS and its stderr must match PATTERN (an extended regex; empty: any).
# Sets $out and $err.
check() {
  local name=$1 status=$2 pattern=$3
  shift 4
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  out=$(cat "$work/out")
  err=$(cat "$work/err")
  if [[ $got -ne $status ]]; then
    failed "$name" "exit status $got, expected $status" "stderr: $err"
  elif [[ -n $pattern ]] && ! grep -qE -- "$pattern" <<<"$err"; then
    failed "$name" "stderr does not match '$pattern'" "stderr: $err"
  else
    pass "$name"
  fi
}

# --- Allocations sized by the module ---------------------------------------------

wat huge_table '(module (table 4294967295 funcref) (func (export "_start")))'
check "a 4-Gi-element table is a link error (exit 2), not an abort" 2 \
  '^wasmscope: error: .*table limit exceeded: table 0 asks for 4294967295 elements.*10000000' \
  -- "$wasmscope" run "$work/huge_table.wasm"

# --- The out-of-host-memory boundary ----------------------------------------------

# A sparse 700 MB module file under a 300 MB address-space limit: reading it
# cannot be backed. The boundary in main() turns that into our error.
truncate -s 700M "$work/big.wasm"
check "out of host memory is exit 2 with one line, never an abort" 2 \
  '^wasmscope: error: out of host memory while reading and compiling .*big\.wasm$' \
  -- bash -c 'ulimit -v 300000 && exec "$0" run "$1"' "$wasmscope" "$work/big.wasm"

# --- Memory limit ------------------------------------------------------------------

wat grow '(module (memory 1)
  (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
  (func (export "_start")))'
check "--max-memory: a grow beyond the limit returns -1" 0 '' \
  -- "$wasmscope" run --max-memory 128K --invoke grow "$work/grow.wasm" 2
[[ $out == "-1" ]] && pass "  ... and the guest sees -1" || failed "  ... and the guest sees -1" "stdout: $out"
check "--max-memory: a grow within the limit succeeds" 0 '' \
  -- "$wasmscope" run --max-memory 128K --invoke grow "$work/grow.wasm" 1
[[ $out == "1" ]] && pass "  ... and returns the old size" || failed "  ... and returns the old size" "stdout: $out"
wat big_memory '(module (memory 10) (func (export "_start")))'
check "--max-memory: an initial memory beyond the limit traps (134)" 134 \
  'memory limit exceeded' -- "$wasmscope" run --max-memory 64K "$work/big_memory.wasm"
check "--max-memory 1K is a usage error" 2 '^wasmscope: error: --max-memory' \
  -- "$wasmscope" run --max-memory 1K "$work/grow.wasm"

echo "$passes passed, $failures failed"
[[ $failures -eq 0 ]]
