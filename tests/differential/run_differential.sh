#!/usr/bin/env bash
# Differential test of our interpreter against Binaryen's. For each seed, a
# reproducible byte stream (diff_runner --bytes) becomes a random valid module
# through Binaryen's translate-to-fuzz (`wasm-opt -ttf`); Binaryen's
# interpreter runs its exports (--fuzz-exec-before) and so does diff_runner,
# which prints the same protocol. The outputs are compared after normalising
# what the spec or the tools leave free (normalise_script below); a seed whose
# outputs differ only through NaN bits is reported but not counted
# (check_seed). Prints one entry per failing seed with its first differences,
# and ends with "N passed, N failed".
#
#   run_differential.sh --runner PATH [--wasm-opt PATH] [--count N]
#                       [--first SEED] [--work DIR] [--jobs N]
#                       [--passes "WASM-OPT FLAGS"] [--any-version]
#
# --passes replaces the optimisations chosen by seed (optimize_flags) with the
# given wasm-opt flags for every seed, e.g. --passes "-O4 --flatten".
#
# A failing seed's module, input bytes and both outputs stay in DIR/seed-S/
# (DIR defaults to a temporary directory, removed at exit). To rerun one seed:
# --first S --count 1 --work DIR. Exit status: 0 all passed, 1 a failure,
# 77 wasm-opt missing (a ctest skip), 2 bad usage.
set -u

runner=""
wasm_opt="wasm-opt"
count=200
first=1
work=""
jobs=2
passes=""
any_version=0

while [ $# -gt 0 ]; do
  case "$1" in
    --runner) runner="$2"; shift 2 ;;
    --wasm-opt) wasm_opt="$2"; shift 2 ;;
    --count) count="$2"; shift 2 ;;
    --first) first="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --passes) passes="$2"; shift 2 ;;
    --any-version) any_version=1; shift ;;
    # Internal: check one seed (used through xargs for parallelism).
    --one) one="$2"; shift 2 ;;
    *) echo "run_differential.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

if [ -z "$runner" ] || [ ! -x "$runner" ]; then
  echo "run_differential.sh: --runner must name the diff_runner executable" >&2
  exit 2
fi
if ! command -v "$wasm_opt" >/dev/null 2>&1; then
  echo "run_differential.sh: $wasm_opt not found; skipping"
  exit 77
fi
# The --fuzz-exec output and the imports -ttf uses change between Binaryen
# versions (later ones add imports that call exports, throw, ...).
version=$("$wasm_opt" --version | grep -o '[0-9][0-9]*' | head -n 1)
if [ "$version" != 108 ] && [ "$any_version" -eq 0 ]; then
  echo "run_differential.sh: wasm-opt is version $version; this test speaks" \
       "Binaryen 108's --fuzz-exec protocol; skipping (--any-version to try anyway)"
  exit 77
fi

# The WebAssembly 2.0 features this test has always covered, plus
# fixed-width SIMD. -ttf enables only what is asked, and the interpreter must
# be told the same to validate.
features=(--mvp-features --enable-mutable-globals --enable-sign-ext
          --enable-nontrapping-float-to-int --enable-bulk-memory
          --enable-multivalue --enable-simd)

# The sed script that rewrites an output into the form both interpreters must
# agree on exactly.
normalise_script='
# NaN results of arithmetic have a nondeterministic sign and payload (spec
# 4.3.3, NaN propagation): Binaryen computes 0/0 as +nan:0x400000, the x86
# FPU as -nan:0x400000.
s/-?nan(:0x[0-9a-f]+)?/nan/g
# A funcref inside a tuple prints its function name, which Binaryen makes up
# when the module has no name section.
s/funcref\([^)]*\)/funcref()/g
# Binaryen words traps its own way; map its words to the spec wording that
# diff_runner prints. The same kind of trap must still happen at the same point.
s/^\[trap i(32|64)\.(div|rem)_[su] by 0\]$/[trap integer divide by zero]/
s/^\[trap i(32|64)\.div_s overflow\]$/[trap integer overflow]/
s/^\[trap i(32|64)\.trunc[SU]Float(32|64)? overflow\]$/[trap integer overflow]/
s/^\[trap trunc[SU]Float(32|64)? of nan\]$/[trap invalid conversion to integer]/
s/^\[trap (final|highest|bytes|offset) > memory.*\]$/[trap out of bounds memory access]/
s/^\[trap out of bounds (memory|segment) access in memory\.(fill|copy|init)\]$/[trap out of bounds memory access]/
s/^\[trap callTable overflow\]$/[trap undefined element]/
s/^\[trap uninitialized table element\]$/[trap uninitialized element]/
s/^\[trap callIndirect: function types don.t match\]$/[trap indirect call type mismatch]/
s/^\[trap stack limit\]$/[trap call stack exhausted]/
'
normalise() { sed -E "$normalise_script"; }

# The input size for a seed: 1 to 24 KiB, so modules range from a few
# functions to dozens.
input_size() {
  echo $(( 1024 + ($1 * 2654435761) % 23552 ))
}

# Runs both interpreters on module $1, writing $2/binaryen.txt and $2/ours.txt
# (normalised); succeeds if they agree and diff_runner had nothing to say.
compare_runs() {
  local module="$1" dir="$2"
  timeout 60 "$wasm_opt" "$module" "${features[@]}" --fuzz-exec-before -q \
    2>"$dir/binaryen.err" | normalise > "$dir/binaryen.txt"
  timeout 60 "$runner" "$module" 2>"$dir/ours.err" | normalise > "$dir/ours.txt"
  local status=${PIPESTATUS[0]}
  [ "$status" -eq 0 ] || echo "exit status $status" >> "$dir/ours.err"
  cmp -s "$dir/binaryen.txt" "$dir/ours.txt" && [ ! -s "$dir/ours.err" ]
}

# Binaryen's optimizer applied after -ttf, by seed: none, -O2 or -Os. Optimized
# code has the shapes compilers emit (local.tee, br_if on compares, select,
# folded constants), which is what our compiler's peepholes look for.
optimize_flags() {
  if [ -n "$passes" ]; then
    echo "$passes"
    return
  fi
  case $(( $1 % 3 )) in
    0) ;;
    1) echo "-O2" ;;
    2) echo "-Os" ;;
  esac
}

# Checks one seed and writes its verdict to stdout: "PASS S", "NANDEP S"
# or "FAIL S: ..." followed by the first differences.
check_seed() {
  local seed="$1" dir="$work/seed-$1"
  mkdir -p "$dir"
  "$runner" --bytes "$seed" "$(input_size "$seed")" > "$dir/input.bin"
  # shellcheck disable=SC2046 # the flags are words
  if ! "$wasm_opt" -ttf "$dir/input.bin" "${features[@]}" $(optimize_flags "$seed") \
       -o "$dir/module.wasm" \
       >/dev/null 2>"$dir/ttf.err"; then
    echo "FAIL $seed: wasm-opt -ttf failed: $(head -c 200 "$dir/ttf.err")"
    return
  fi
  if compare_runs "$dir/module.wasm" "$dir"; then
    echo "PASS $seed"
    rm -rf "$dir"
    return
  fi
  # NaN bits can reach integers (reinterpret, copysign, a store then a load,
  # hashMemory), and the spec lets a NaN result have any sign and, from NaN
  # operands, any quiet payload: Binaryen and the host FPU pick differently.
  # If the module agrees once every NaN becomes 0 (Binaryen's --denan, as its
  # own fuzzer does before comparing VMs), the difference is put down to NaN
  # nondeterminism and the seed is not counted. The full module is kept.
  mkdir -p "$dir/denan"
  if "$wasm_opt" "$dir/module.wasm" "${features[@]}" --denan -o "$dir/denan/module.wasm" \
       >/dev/null 2>&1 && compare_runs "$dir/denan/module.wasm" "$dir/denan"; then
    echo "NANDEP $seed: $dir"
    return
  fi
  echo "FAIL $seed: $dir (module.wasm; binaryen.txt vs ours.txt)"
  diff "$dir/binaryen.txt" "$dir/ours.txt" | head -8 | sed 's/^/    /'
  head -c 300 "$dir/ours.err" | sed 's/^/    diff_runner: /'
  head -c 300 "$dir/binaryen.err" | sed 's/^/    wasm-opt: /'
}

if [ -n "${one:-}" ]; then
  check_seed "$one" > "$work/result-$one"
  exit 0
fi

if [ -z "$work" ]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
rm -rf "$work"/seed-* "$work"/result-*

seeds=$(seq "$first" $((first + count - 1)))
printf '%s\n' $seeds |
  xargs -P "$jobs" -n 1 bash "$0" --runner "$runner" --wasm-opt "$wasm_opt" \
    --work "$work" --passes "$passes" --any-version --one
# Verdicts in seed order, whatever order the jobs finished in.
results="$(for seed in $seeds; do
  cat "$work/result-$seed" 2>/dev/null || echo "FAIL $seed: the check itself did not finish"
  rm -f "$work/result-$seed"
done)"

printf '%s\n' "$results" | grep -v -e '^PASS ' -e '^NANDEP ' || true
passed=$(printf '%s\n' "$results" | grep -c '^PASS ')
failed=$(printf '%s\n' "$results" | grep -c '^FAIL ')
nandep=$(printf '%s\n' "$results" | grep -c '^NANDEP ')
if [ "$nandep" -gt 0 ]; then
  echo "$nandep not counted: they differ only through NaN bits (they agree under --denan):"
  printf '%s\n' "$results" | grep '^NANDEP ' | sed 's/^NANDEP /    seed /'
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
