#!/usr/bin/env bash
# Installs everything wasmscope needs to build, run and test on Debian 12, as
# root: the compiler and CMake, the libraries it links, the wasm toolchain
# that builds the samples, the test oracles (wabt, binaryen, lldb, node, go
# and valgrind for the profile formats), the inspector's GUI libraries and
# Xvfb, and the node packages of the DAP and profiler test suites. Safe to
# run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "setup.sh: run as root (it installs Debian packages with apt-get)" >&2
  exit 1
fi

packages=(
  # Build.
  cmake ninja-build g++ pkg-config
  # Libraries (protobuf, zlib and OpenSSL's libcrypto: the profiler's pprof
  # output and module hashes).
  libgtest-dev libdwarf-dev nlohmann-json3-dev libcli11-dev zlib1g-dev
  libprotobuf-dev protobuf-compiler libssl-dev
  # Samples and benchmark kernels: C to wasm32-wasi with DWARF.
  clang-19 lld-19 llvm-19 wasi-libc libclang-rt-19-dev-wasm32
  # C++ and Rust test programs: libc++ for wasm32-wasi, rustc with its
  # wasm32-wasi standard library.
  libc++-19-dev-wasm32 libc++abi-19-dev-wasm32 rustc libstd-rust-dev-wasm32
  # The Valgrind oracle builds the C++ sample natively against libc++ too.
  libc++-19-dev libc++abi-19-dev
  # The DHAT oracle builds C programs natively for i386 (4-byte pointers, as
  # in wasm32): the 32-bit C library and GCC runtime for clang -m32.
  libc6-dev-i386 lib32gcc-12-dev
  # libFuzzer and sanitizers for the fuzz target.
  libclang-rt-19-dev
  # Test oracles and LLDB: the spec suite's converter, random modules, LLDB 22
  # (the symbols oracle and the gdb-remote stub's tests, through its Python
  # SB API; Debian's lldb-22 package also ships lldb-dap-22, and installing
  # it replaces an older LLDB's packages); the consumers of the profile
  # formats (go tool pprof, callgrind_annotate).
  wabt binaryen lldb-22 python3-lldb-22 golang-go valgrind
  # The desktop inspector: Dear ImGui (with its GLFW and OpenGL 3 backends),
  # GLFW, stb_image_write for screenshots, DejaVu fonts; Xvfb, xauth and
  # Mesa's software renderer to run it headless in tests and for docs.
  libimgui-dev libglfw3-dev libstb-dev fonts-dejavu-core
  xvfb xauth libgl1-mesa-dri
  # Used by the test scripts.
  python3 ca-certificates
  # ci_e2e checks the JUnit reports are well-formed XML.
  libxml2-utils
)

echo "== apt-get install (${#packages[@]} packages)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

# Node runs the reference WASI implementation in the differential tests and
# the DAP client suite. Keep an existing node; otherwise take Debian's.
if ! command -v node >/dev/null 2>&1; then
  echo "== apt-get install nodejs npm"
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

# Node packages of the test suites, pinned by their lock files.
for dir in tests/dap tests/profiler tests/ci; do
  if [ -f "$dir/package-lock.json" ]; then
    echo "== npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
# lldb-dap-22 comes with the lldb-22 package (Debian has no package of its
# own for it); the lldb_dap test needs it.
for tool in lldb-22 lldb-dap-22; do
  command -v "$tool" >/dev/null || { echo "setup.sh: $tool is missing after installing lldb-22" >&2; exit 1; }
done
echo "== setup done"
