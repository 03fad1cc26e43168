#!/usr/bin/env bash
# symbols_trap_backtrace: `wasmscope run` prints trap backtraces with
# function, file:line:column and inlined calls from DWARF.
#
#   trap_backtrace.sh WASMSCOPE DATA_DIR SOURCE_DIR [SAMPLES_DIR SAMPLES_SOURCE_DIR]
set -u
wasmscope=$1 data=$2 src=$3 samples=${4:-} samples_src=${5:-}
failures=0

# expect MODULE PATTERN [ARGS...]: the run traps and stderr matches PATTERN.
# $run_options go before MODULE.
run_options=()
expect() {
  local module=$1 pattern=$2
  shift 2
  local err
  err=$("$wasmscope" run "${run_options[@]}" "$module" "$@" 2>&1 >/dev/null)
  if grep -qE -- "$pattern" <<<"$err"; then
    echo "PASS $(basename "$module"): $pattern"
  else
    echo "FAIL $(basename "$module"): no line matching '$pattern' in:"
    echo "$err"
    failures=$((failures + 1))
  fi
}

line() { grep -nF -- "$2" "$1" | head -1 | cut -d: -f1; }

inline_c="$src/inline.c"
crash=$(line "$inline_c" '__builtin_trap();')
call=$(line "$inline_c" 'r += crash(&r, argc + 3);')
expect "$data/inline.O0.wasm" "#0 +0x[0-9a-f]+ crash at $inline_c:$crash:" a b
expect "$data/inline.O0.wasm" "#1 +0x[0-9a-f]+ main at $inline_c:$call:" a b
expect "$data/inline.O2.wasm" "#0 +0x[0-9a-f]+ crash at $inline_c:$crash:" a b

if [[ -n $samples && -f $samples/out_of_bounds.O2.wasm ]]; then
  oob="$samples_src/out_of_bounds.c"
  store=$(line "$oob" 'g_histogram[bucket] += 1;')
  expect "$samples/out_of_bounds.O0.wasm" "#0 +0x[0-9a-f]+ record at $oob:$store:"
  # At -O2 record() is inlined into main: one frame, with the call site.
  expect "$samples/out_of_bounds.O2.wasm" \
    "#0 +0x[0-9a-f]+ record at $oob:$store:[0-9]+ \\(inlined into main at $oob:[0-9]+:[0-9]+\\)"
fi

# A module built elsewhere: --source-map shows the sources where they are here.
run_options=(--source-map "$src=/home/me/checkout/data")
expect "$data/inline.O0.wasm" "#0 +0x[0-9a-f]+ crash at /home/me/checkout/data/inline.c:$crash:" a b
run_options=(--source-map "no-equals-sign")
err=$("$wasmscope" run "${run_options[@]}" "$data/inline.O0.wasm" 2>&1 >/dev/null)
status=$?
if [[ $status == 2 && $err == "wasmscope: error: --source-map: expected BUILD=LOCAL, got 'no-equals-sign'" ]]; then
  echo "PASS --source-map without '=' is a usage error"
else
  echo "FAIL --source-map without '=': status $status, '$err'"
  failures=$((failures + 1))
fi
run_options=()

# `wasmscope symbols` takes the same map, both ways: a local FILE:LINE is
# found, and paths are shown as local ones.
out=$("$wasmscope" symbols --source-map "$src=/home/me/checkout/data" "$data/inline.O0.wasm" \
  --lines "/home/me/checkout/data/inline.c:$crash" 2>&1)
if grep -qE "^/home/me/checkout/data/inline.c:$crash\$" <<<"$out"; then
  echo "PASS symbols --source-map --lines"
else
  echo "FAIL symbols --source-map --lines: $out"
  failures=$((failures + 1))
fi
# And a path through `..` or from another checkout finds the file too.
for spelled in "$src/../$(basename "$src")/inline.c" "/elsewhere/data/inline.c"; do
  out=$("$wasmscope" symbols "$data/inline.O0.wasm" --lines "$spelled:$crash" 2>&1)
  if grep -q "crash + " <<<"$out"; then
    echo "PASS symbols --lines $spelled"
  else
    echo "FAIL symbols --lines $spelled: $out"
    failures=$((failures + 1))
  fi
done

# `symbols --disassemble`: wasm text of a function with its source lines.
out=$("$wasmscope" symbols "$data/inline.O2.wasm" --disassemble main 2>&1)
if grep -qE "^main \(function [0-9]+\) at 0x[0-9a-f]+:\$" <<<"$out" &&
  grep -qE "^  0x[0-9a-f]+  10 [0-9a-f ]+ +call [0-9]+ <compute>\$" <<<"$out" &&
  grep -qE "^  ; .*/inline.c:[0-9]+\$" <<<"$out" &&
  [[ "$(tail -1 <<<"$out")" =~ \ end$ ]]; then
  echo "PASS symbols --disassemble main"
else
  echo "FAIL symbols --disassemble main: $out"
  failures=$((failures + 1))
fi
out=$("$wasmscope" symbols "$data/inline.O2.wasm" --disassemble no_such_function 2>&1)
status=$?
if [[ $status != 0 && $out == "wasmscope: error: no function named 'no_such_function'" ]]; then
  echo "PASS symbols --disassemble of an unknown function"
else
  echo "FAIL symbols --disassemble no_such_function: status $status, '$out'"
  failures=$((failures + 1))
fi

if ((failures)); then
  echo "$failures failed"
  exit 1
fi
echo "all passed"
