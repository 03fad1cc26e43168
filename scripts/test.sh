#!/usr/bin/env bash
# Sets everything up, builds, and runs every test: unit tests, the
# WebAssembly spec suite, end-to-end, DAP and LLDB suites (through ctest),
# and fixed-time fuzzing runs with sanitizers of everything that parses
# untrusted input: the module loader, the DAP adapter (framing, messages,
# dispatch), the debugger's C expressions, the DWARF reader, and the
# gdb-remote stub's packets.
#   FUZZ_SECONDS=N         how long the module fuzzer runs (default 60; 0 skips all fuzzing)
#   FUZZ_PARSER_SECONDS=N  how long each of the other four runs (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh

# run_fuzzer NAME SECONDS [libFuzzer options and corpus dirs...]
# New inputs go to a scratch dir; the committed corpora are only read. A
# crash leaves build-fuzz/NAME-crash-* (copy it to tests/regression/).
run_fuzzer() {
  local name=$1 seconds=$2
  shift 2
  local work log=build-fuzz/$name.log
  work=$(mktemp -d)
  echo "== fuzzing $name for ${seconds}s (clang, ASan+UBSan)"
  if ! "./build-fuzz/tests/fuzz/$name" -max_total_time="$seconds" -timeout=30 \
      -rss_limit_mb=4096 -artifact_prefix="build-fuzz/$name-" "$work" "$@" >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzzing $name found a crash: see build-fuzz/$name-crash-* and $log" >&2
    exit 1
  fi
  grep -E "DONE" "$log" | tail -1
  rm -rf "$work"
}

fuzz_seconds=${FUZZ_SECONDS:-60}
parser_seconds=${FUZZ_PARSER_SECONDS:-30}
if [ "$fuzz_seconds" -gt 0 ]; then
  CC=clang-19 CXX=clang++-19 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DWASMSCOPE_FUZZ=ON -DWASMSCOPE_BUILD_TESTS=ON -DWASMSCOPE_BUILD_BENCH=OFF >/dev/null
  cmake --build build-fuzz --target fuzz_module fuzz_dap fuzz_expression fuzz_dwarf fuzz_gdb_packet -j"$(nproc)"
  run_fuzzer fuzz_module "$fuzz_seconds" tests/fuzz/corpus tests/regression
  run_fuzzer fuzz_dap "$parser_seconds" -dict=tests/fuzz/dap.dict -max_len=65536 \
    tests/fuzz/dap-corpus tests/regression/dap
  run_fuzzer fuzz_expression "$parser_seconds" -max_len=4200 \
    tests/fuzz/expression-corpus tests/regression/expressions
  run_fuzzer fuzz_dwarf "$parser_seconds" -max_len=65536 \
    tests/fuzz/dwarf-corpus tests/regression/dwarf
  run_fuzzer fuzz_gdb_packet "$parser_seconds" -dict=tests/fuzz/gdb.dict -max_len=65536 \
    tests/fuzz/gdb-corpus tests/regression/gdb
fi

echo "== ctest"
cd build
ctest --output-on-failure -j2
