#!/usr/bin/env bash
# Allocator misuse under `wasmscope profile --memory-only`: a double free, a
# free of a pointer never allocated and a realloc of freed memory
# (programs/heap_misuse.c, its own pool allocator named with --allocator)
# are reported by `report --leaks` with the bad call's stack and, for a
# block freed before, where it was allocated and first freed (file:line,
# found by the markers in the source); the summary counts them; and the run
# goes on: the guest prints its last line and exits 0.
# usage: heap_misuse.sh WASMSCOPE PROGRAM.wasm PROGRAM.c WORK_DIR
set -u
wasmscope=$1
module=$2
source=$3
work=$4
if [ ! -f "$module" ]; then
  echo "test program not built: skipping"
  exit 77
fi
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1

failed=0
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
line() { grep -n "$1" "$source" | head -1 | cut -d: -f1; }
file=$(basename "$source")

"$wasmscope" profile --memory-only --allocator pool_alloc=malloc --allocator pool_free=free \
  --allocator pool_realloc=realloc -o misuse.json "$module" >out.txt 2>err.txt </dev/null
status=$?
[ $status -eq 0 ] || fail "profile exited $status: $(tail -3 err.txt)"
grep -qx "still running" out.txt || fail "the run did not go on after the misuse: $(cat out.txt)"
grep -q "errors: 3 (double or invalid frees" err.txt || fail "summary does not count 3 errors: $(cat err.txt)"

"$wasmscope" report --leaks misuse.json >report.txt 2>&1 || fail "report --leaks failed: $(cat report.txt)"
# expect HEADER-REGEX then the following lines, exactly.
expect() {
  local header=$1
  shift
  local n=$#
  local got
  got=$(grep -A "$n" -E "$header" report.txt | tail -n +2)
  local want
  want=$(printf '%s\n' "$@")
  if [ "$got" != "$want" ]; then
    fail "after '$header' expected:"
    printf '%s\n' "$want"
    echo "got:"
    printf '%s\n' "$got"
  fi
}
expect "^double free of 0x[0-9a-f]+ by free at instruction [0-9,]+$" \
  "   at pool_free" \
  "   by main ($file:$(line MISUSE_DOUBLE_FREE))" \
  " Block was allocated" \
  "   at pool_alloc" \
  "   by main ($file:$(line MISUSE_ALLOC\ ))" \
  " and freed" \
  "   at pool_free" \
  "   by main ($file:$(line MISUSE_FIRST_FREE))"
expect "^invalid free of 0x[0-9a-f]+ by free at instruction [0-9,]+$" \
  "   at pool_free" \
  "   by main ($file:$(line MISUSE_INVALID_FREE))" \
  ""
expect "^realloc of freed memory of 0x[0-9a-f]+ by realloc at instruction [0-9,]+$" \
  "   at pool_realloc" \
  "   by main ($file:$(line MISUSE_REALLOC_FREED))" \
  " Block was allocated" \
  "   at pool_alloc" \
  "   by main ($file:$(line MISUSE_ALLOC_B))" \
  " and freed" \
  "   at pool_free" \
  "   by main ($file:$(line MISUSE_FREE_B))"
grep -q "^Allocator misuse (3):" report.txt || fail "no 'Allocator misuse (3):' header"

if [ $failed -ne 0 ]; then
  echo "--- report ---"
  cat report.txt
  exit 1
fi
echo "heap misuse: 3 errors reported with their stacks; the run went on"
