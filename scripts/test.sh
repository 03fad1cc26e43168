#!/usr/bin/env bash
# Sets everything up, builds, and runs every test: unit tests, the
# WebAssembly spec suite, end-to-end and DAP suites (through ctest), and a
# fixed-time fuzzing run of the module loader with sanitizers.
#   FUZZ_SECONDS=N   how long the fuzzer runs (default 60; 0 skips it)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh

fuzz_seconds=${FUZZ_SECONDS:-60}
if [ "$fuzz_seconds" -gt 0 ]; then
  echo "== fuzzing the module loader for ${fuzz_seconds}s (clang, ASan+UBSan)"
  CC=clang-19 CXX=clang++-19 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DWASMSCOPE_FUZZ=ON -DWASMSCOPE_BUILD_TESTS=ON -DWASMSCOPE_BUILD_BENCH=OFF >/dev/null
  cmake --build build-fuzz --target fuzz_module -j"$(nproc)"
  work=$(mktemp -d)
  # New inputs go to a scratch dir; the committed corpus is only read.
  if ! ./build-fuzz/tests/fuzz/fuzz_module -max_total_time="$fuzz_seconds" -timeout=10 \
      -rss_limit_mb=4096 -artifact_prefix=build-fuzz/ "$work" tests/fuzz/corpus tests/regression \
      >build-fuzz/fuzz.log 2>&1; then
    tail -40 build-fuzz/fuzz.log
    echo "fuzzing found a crash: see build-fuzz/crash-* and build-fuzz/fuzz.log" >&2
    exit 1
  fi
  grep -E "^Done|cov:" build-fuzz/fuzz.log | tail -1
  rm -rf "$work"
fi

echo "== ctest"
cd build
ctest --output-on-failure -j2
