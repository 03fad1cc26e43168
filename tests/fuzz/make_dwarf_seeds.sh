#!/usr/bin/env bash
# Rebuilds the DWARF fuzzer's seed corpus (tests/fuzz/dwarf-corpus/) from the
# real programs the other tests use: the samples and tests/debugger/data.
# Each is linked without libc (its calls become imports), so that a seed
# holds the program's own code and DWARF only: a few KiB instead of 150.
# -O0 and -O2, DWARF 4 and 5. Run it by hand after changing those programs;
# the seeds are committed.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=tests/fuzz/dwarf-corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc=(clang-19 --target=wasm32-wasi)
link=(-nostdlib -Wl,--no-entry -Wl,--export-all -Wl,--allow-undefined)
sources=(samples/linked_structures.c samples/recursion.c samples/request_handler.c
         tests/debugger/data/structs.c tests/debugger/data/inline.c)
for source in "${sources[@]}"; do
  name=$(basename "$source" .c)
  for opt in O0 O2; do
    for dwarf in 4 5; do
      "${cc[@]}" -g -gdwarf-$dwarf -$opt -c "$source" -o "$work/$name.o"
      # Linked without -O: clang's -O link step runs wasm-opt, which drops DWARF.
      "${cc[@]}" "${link[@]}" "$work/$name.o" -o "$out/$name.$opt.dwarf$dwarf.wasm"
    done
  done
done
"${cc[@]}" -g -O0 -fno-exceptions -fno-rtti -nostdlib++ -c tests/debugger/data/templates.cpp \
  -o "$work/templates.o"
"${cc[@]}" "${link[@]}" "$work/templates.o" -o "$out/templates.O0.dwarf4.wasm"
ls -l "$out"
