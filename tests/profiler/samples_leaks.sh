#!/usr/bin/env bash
# The C++ and Rust samples under `wasmscope profile --memory-only`: each
# one's leaks are found, classified, and shown with source stacks (file:line
# of the leaking line in the sample). Builds them as samples/README.md says;
# skips (77) without clang++-19/libc++ for wasm32 or rustc's wasm32-wasi std.
# usage: samples_leaks.sh WASMSCOPE SOURCE_DIR WORK_DIR
set -u
wasmscope=$1
src=$2
work=$3
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1
passed=0
failed=0
skipped=0
check() { # check NAME CONDITION-STATUS MESSAGE
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $1: $3"; fi
}
line_of() { grep -n "$2" "$1" | tail -1 | cut -d: -f1; }

# C++: unique_ptr::release() leaks three Items (definite) and their names'
# and histories' buffers (indirect).
if clang++-19 --target=wasm32-wasi -fno-exceptions -g -O0 "$src/samples/inventory.cpp" -o inventory.wasm 2>build.err; then
  "$wasmscope" profile --memory-only -o inventory.json inventory.wasm >out.txt 2>err.txt
  check "inventory status" $? "$(tail -3 err.txt)"
  grep -q "^   definitely lost: 84 bytes in 3 blocks" err.txt && grep -q "^   indirectly lost: [0-9]* bytes in 6 blocks" err.txt
  check "inventory summary" $? "$(grep -A4 'LEAK SUMMARY' err.txt)"
  "$wasmscope" report --leaks inventory.json >leaks.txt
  item=$(line_of "$src/samples/inventory.cpp" ITEM_ALLOC)
  grep -A3 "are definitely lost" leaks.txt | grep -q "Inventory::add(.*(inventory.cpp:$item)"
  check "inventory definite at Inventory::add:$item" $? "$(head -8 leaks.txt)"
  name=$(line_of "$src/samples/inventory.cpp" NAME_ALLOC)
  grep -q "(inventory.cpp:$name)" leaks.txt
  check "inventory name buffer at :$name" $? "no record through line $name"
else
  echo "C++ sample not built (no libc++ for wasm32?): $(head -2 build.err)"
  skipped=$((skipped + 1))
fi

# Rust: Box::leak and mem::forget. Debian's rustc (/usr/bin) has the
# wasm32-wasi std; a rustup toolchain earlier on PATH may not.
rustc=/usr/bin/rustc
[ -x "$rustc" ] || rustc=rustc
if command -v "$rustc" >/dev/null && "$rustc" --target wasm32-wasi -g "$src/samples/leaky_cache.rs" -o leaky_cache.wasm 2>build.err; then
  "$wasmscope" profile --memory-only -o rust.json leaky_cache.wasm >out.txt 2>err.txt
  check "rust status" $? "$(tail -3 err.txt)"
  grep -q "^16 keys, checksum" out.txt
  check "rust output" $? "$(cat out.txt)"
  grep -q "^   definitely lost: [1-9][0-9]* bytes in [2-9] blocks" err.txt
  check "rust summary" $? "$(grep -A4 'LEAK SUMMARY' err.txt)"
  "$wasmscope" report --leaks --top 50 rust.json >leaks.txt
  grep -q "intercepted\|__rust_alloc" leaks.txt
  check "rust allocator" $? "no __rust_alloc frame"
  # Rust names demangled: no legacy escapes left, the impl and closure
  # frames of the Box::leak stack spelled as rustc prints them.
  grep -q '\$LT\$\|\$u[0-9a-f]*\$\|17h[0-9a-f]\{16\}E' leaks.txt
  check "rust names unescaped" $([ $? -ne 0 ] && echo 0 || echo 1) \
    "escaped names left: $(grep -m3 '\$LT\$\|\$u[0-9a-f]*\$\|17h[0-9a-f]\{16\}E' leaks.txt)"
  grep -q "by <alloc::alloc::Global as core::alloc::Allocator>::allocate (" leaks.txt
  check "rust impl frame" $? "no '<alloc::alloc::Global as core::alloc::Allocator>::allocate' frame"
  grep -q "by std::rt::lang_start::{{closure}} (" leaks.txt
  check "rust closure frame" $? "no 'std::rt::lang_start::{{closure}}' frame"
  for marker in BOX_LEAK FORGET; do
    l=$(line_of "$src/samples/leaky_cache.rs" "LEAK: $marker")
    grep -q "leaky_cache.rs:$l)" leaks.txt
    check "rust $marker at line $l" $? "no record through leaky_cache.rs:$l"
  done
else
  echo "Rust sample not built (no rustc with wasm32-wasi std?): $(head -2 build.err 2>/dev/null)"
  skipped=$((skipped + 1))
fi

echo "samples' leaks: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || exit 1
[ "$passed" -gt 0 ] || exit 77
