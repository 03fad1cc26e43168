#!/usr/bin/env bash
# `wasmscope run --invoke` with v128 arguments and results: lanes given as
# SHAPE:a,b,... are passed in, a v128 result prints as its i32x4 lanes, and a
# malformed vector is a usage error (exit 2) naming the argument.
#
#   invoke_v128.sh WASMSCOPE WAT2WASM
set -u
wasmscope=$1
wat2wasm=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/m.wat" <<'WAT'
(module
  (func (export "double") (param v128) (result v128) (i32x4.add (local.get 0) (local.get 0)))
  (func (export "sum") (param v128 i32) (result i32)
    (i32.add (i32x4.extract_lane 3 (local.get 0)) (local.get 1))))
WAT
"$wat2wasm" "$dir/m.wat" -o "$dir/m.wasm" || exit 1
fail=0
check() { # expected-output expected-status args...
  local want=$1 status=$2
  shift 2
  local got
  got=$("$wasmscope" run --invoke "$@" 2>&1)
  local s=$?
  if [ "$got" != "$want" ] || [ "$s" -ne "$status" ]; then
    echo "FAIL: wasmscope run --invoke $*: got [$got] (status $s), want [$want] (status $status)"
    fail=1
  fi
}
check "i32x4 {2, -4, 32, 8}" 0 double "$dir/m.wasm" i32x4:1,-2,0x10,4
check "i32x4 {2, 4, 6, -2}" 0 double "$dir/m.wasm" i16x8:1,0,2,0,3,0,-1,-1
check "i32x4 {0, 2146435072, 0, -2146959360}" 0 double "$dir/m.wasm" f64x2:1.5,-2.5
check "10" 0 sum "$dir/m.wasm" i8x16:0,0,0,0,0,0,0,0,0,0,0,0,9,0,0,0 1
check "wasmscope: error: argument 1 of 'double': 'f32x4:1,2,3' is not a valid v128" 2 \
  double "$dir/m.wasm" f32x4:1,2,3
check "wasmscope: error: argument 1 of 'double': '7' is not a valid v128" 2 double "$dir/m.wasm" 7
[ $fail -eq 0 ] && echo "invoke_v128: all passed"
exit $fail
