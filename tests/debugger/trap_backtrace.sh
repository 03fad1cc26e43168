#!/usr/bin/env bash
# symbols_trap_backtrace: `wasmscope run` prints trap backtraces with
# function, file:line:column and inlined calls from DWARF.
#
#   trap_backtrace.sh WASMSCOPE DATA_DIR SOURCE_DIR [SAMPLES_DIR SAMPLES_SOURCE_DIR]
set -u
wasmscope=$1 data=$2 src=$3 samples=${4:-} samples_src=${5:-}
failures=0

# expect MODULE PATTERN [ARGS...]: the run traps and stderr matches PATTERN.
expect() {
  local module=$1 pattern=$2
  shift 2
  local err
  err=$("$wasmscope" run "$module" "$@" 2>&1 >/dev/null)
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

if ((failures)); then
  echo "$failures failed"
  exit 1
fi
echo "all passed"
