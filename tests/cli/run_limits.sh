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

# --- Wall-clock limit ----------------------------------------------------------------

# elapsed_ms COMMAND...: runs COMMAND like check's callers do, returns ms in $ms.
now_ms() { date +%s%3N; }

wat spin '(module (memory (export "memory") 1)
  (func $spin (export "_start") i32.const 1 loop br 0 end drop))'
start=$(now_ms)
check "--timeout stops a loop with a trap (134) and a backtrace" 134 \
  'wall-clock limit exceeded' -- "$wasmscope" run --timeout 500ms "$work/spin.wasm"
ms=$(($(now_ms) - start))
grep -qE '#0 +0x[0-9a-f]+ ' <<<"$err" && pass "  ... with the frame it was in" ||
  failed "  ... with the frame it was in" "stderr: $err"
((ms >= 450 && ms < 3000)) && pass "  ... after 500ms ($ms ms)" || failed "  ... after 500ms" "took $ms ms"

wat sleep '(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func $sleep_an_hour (export "_start")
    (i32.store (i32.const 16) (i32.const 1))
    (i64.store (i32.const 24) (i64.const 3600000000000))
    (drop (call $poll (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128)))))'
start=$(now_ms)
check "--timeout stops a guest sleeping an hour in poll_oneoff" 134 \
  'wall-clock limit exceeded' -- "$wasmscope" run --timeout 500ms "$work/sleep.wasm"
ms=$(($(now_ms) - start))
((ms < 1500)) && pass "  ... within a second of the limit ($ms ms)" || failed "  ... within a second" "took $ms ms"

wat read '(module
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func $read_stdin (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 16))
    (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 64)))))'
# Stdin is a pipe whose writer stays silent for ten seconds.
start=$(now_ms)
check "--timeout stops a guest blocked reading an empty pipe" 134 \
  'wall-clock limit exceeded' -- bash -c 'exec "$0" run --timeout 500ms "$1" < <(sleep 10)' \
  "$wasmscope" "$work/read.wasm"
ms=$(($(now_ms) - start))
((ms < 1500)) && pass "  ... within a second of the limit ($ms ms)" || failed "  ... within a second" "took $ms ms"

wat flood '(module
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (func $flood (export "_start")
    (local $i i32)
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 65536))
    (loop
      (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if 0 (i32.lt_u (local.get $i) (i32.const 64))))))'
# Stdout is a pipe nobody reads: 4 MiB of writes fill it and then wait.
start=$(now_ms)
check "--timeout stops a guest blocked writing to a full pipe" 134 \
  'wall-clock limit exceeded' -- bash -c 'exec "$0" run --timeout 500ms "$1" > >(sleep 10)' \
  "$wasmscope" "$work/flood.wasm"
ms=$(($(now_ms) - start))
((ms < 1500)) && pass "  ... within a second of the limit ($ms ms)" || failed "  ... within a second" "took $ms ms"
"$wasmscope" run "$work/flood.wasm" | wc -c >"$work/count"
[[ $(cat "$work/count") -eq 4194304 ]] && pass "  ... and a reader gets all 4 MiB otherwise" ||
  failed "  ... and a reader gets all 4 MiB otherwise" "got $(cat "$work/count") bytes"

wat quick '(module (func (export "_start")))'
check "--timeout does not affect a guest that ends in time" 0 '' \
  -- "$wasmscope" run --timeout 5s "$work/quick.wasm"
for bad in 30 0s -1s 1.5 abc 5d 1e3s; do
  check "--timeout $bad is a usage error" 2 "^wasmscope: error: --timeout: invalid duration '$bad'" \
    -- "$wasmscope" run --timeout "$bad" "$work/quick.wasm"
done
check "--timeout takes decimals and minutes" 0 '' -- "$wasmscope" run --timeout 0.5m "$work/quick.wasm"
check "--timeout is in run --help" 0 '' -- "$wasmscope" run --help
grep -q -- '--timeout DURATION' <<<"$out" && pass "  ... as --timeout DURATION" || failed "  ... as --timeout DURATION" "$out"

# --- What stdio looks like to the guest ----------------------------------------------

# Exit status: isatty(0) + 2 isatty(1) + 4 isatty(2) + 8 filetype(0), with
# isatty() as wasi-libc has it (a character device without seek and tell).
wat stdio '(module
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $stat (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func $isatty (param $fd i32) (result i32)
    (if (result i32) (call $stat (local.get $fd) (i32.const 0))
      (then (i32.const 0))
      (else (i32.and (i32.eq (i32.load8_u (i32.const 0)) (i32.const 2))
                     (i64.eqz (i64.and (i64.load (i32.const 8)) (i64.const 36)))))))
  (func (export "_start")
    (local $code i32)
    (local.set $code (i32.add (call $isatty (i32.const 0))
      (i32.add (i32.shl (call $isatty (i32.const 1)) (i32.const 1))
               (i32.shl (call $isatty (i32.const 2)) (i32.const 2)))))
    (drop (call $stat (i32.const 0) (i32.const 0)))
    (call $exit (i32.add (local.get $code)
                         (i32.shl (i32.load8_u (i32.const 0)) (i32.const 3))))))'
# stdin /dev/null (a character device, not a terminal), stdout a pipe,
# stderr a file: no terminal anywhere, with --deterministic too.
for flag in "" --deterministic; do
  "$wasmscope" run $flag "$work/stdio.wasm" </dev/null 2>"$work/stderr.txt" | cat
  status=${PIPESTATUS[0]}
  [[ $status -eq 16 ]] && pass "stdio types as the host sees them ${flag:-(plain)}" ||
    failed "stdio types as the host sees them ${flag:-(plain)}" \
      "exit $status, expected 16 (no tty; stdin a character device)"
done
"$wasmscope" run --deterministic "$work/stdio.wasm" <"$work/stdio.wat" >/dev/null 2>&1
status=$?
[[ $status -eq 32 ]] && pass "a regular file as stdin is one (--deterministic)" ||
  failed "a regular file as stdin is one (--deterministic)" "exit $status, expected 32"

echo "$passes passed, $failures failed"
[[ $failures -eq 0 ]]
