#!/usr/bin/env bash
# The end-to-end differential test: every sample program, built at -O0 and
# -O2, runs under `wasmscope run` and under node's `node:wasi` (through
# node_wasi_run.mjs) with the same arguments, environment and preopened
# directory, and the two runs must agree exactly on stdout, stderr and exit
# status, and on the files the guest left in its directory.
#
# The one expected difference is a trap. node reports a trap as an uncaught
# RuntimeError with a JS stack trace on stderr and exits 1; wasmscope prints
# "wasmscope: error: trap: ..." and a wasm backtrace on stderr and exits 3
# (see `wasmscope run --help`). For a case that must trap, only stdout is
# compared exactly; beyond that both runs must have failed with a trap.
#
#   differential.sh WASMSCOPE SAMPLES_DIR [NODE]
#
# Prints one line per case, PASS or FAIL (with a diff), and then
# "N passed, N failed". Exits 0 when every case passed, 1 when one failed,
# and 77 (ctest's SKIP_RETURN_CODE) when node or the samples are missing.
set -u

readonly kSkip=77
readonly kTrapStatus=134 # wasmscope run's exit status for a trap (128 + SIGABRT)
readonly kTimeout=300  # seconds per run

if [[ $# -lt 2 ]]; then
  echo "usage: $0 WASMSCOPE SAMPLES_DIR [NODE]" >&2
  exit 2
fi
wasmscope=$(realpath "$1")
samples_dir=$2
node=${3:-$(command -v node || true)}
runner=$(realpath "$(dirname "$0")/node_wasi_run.mjs")

if [[ -z $node || ! -x $node ]]; then
  echo "SKIP: node not found; the differential test needs node 20 or later (node:wasi)"
  exit $kSkip
fi
if [[ -z $samples_dir || ! -f $samples_dir/hello.O0.wasm ]]; then
  echo "SKIP: no samples in $samples_dir (clang-19 and wasi-libc build them)"
  exit $kSkip
fi
if [[ ! -x $wasmscope ]]; then
  echo "FAIL: $wasmscope is not an executable"
  exit 1
fi
samples_dir=$(realpath "$samples_dir")

work=$(mktemp -d "${TMPDIR:-/tmp}/wasmscope-e2e.XXXXXX")
trap 'rm -rf "$work"' EXIT

passed=0
failed=0

# show_diff LABEL EXPECTED ACTUAL: a unified diff, node's side first.
show_diff() {
  diff -u --label "node $1" --label "wasmscope $1" "$2" "$3" | sed 's/^/    /'
}

# run_one WHO DIR OPTIONS... -- MODULE ARGS...: runs one side in the samples
# directory (so argv[0] is the plain file name for both), stdin empty, with
# @DIR@ in the options replaced by DIR. Writes DIR.out, DIR.err, DIR.status.
run_one() {
  local who=$1 dir=$2
  shift 2
  local -a options=()
  while [[ $1 != -- ]]; do
    options+=("${1//@DIR@/$dir}")
    shift
  done
  shift
  local -a command
  if [[ $who == node ]]; then
    command=("$node" "$runner" "${options[@]}" "$@")
  else
    command=("$wasmscope" run "${options[@]}" "$@")
  fi
  (cd "$samples_dir" && timeout "$kTimeout" "${command[@]}") \
    <"/dev/null" >"$dir.out" 2>"$dir.err"
  echo $? >"$dir.status"
}

# check NAME EXPECT OPTIONS... -- MODULE ARGS...
#   EXPECT is "exit" (stdout, stderr, status and files must match) or
#   "trap" (stdout must match and both must have trapped).
check() {
  local name=$1 expect=$2
  shift 2
  local base="$work/$name"
  mkdir -p "$base.node" "$base.wasmscope"
  run_one node "$base.node" "$@"
  run_one wasmscope "$base.wasmscope" "$@"

  local report="" node_status wasmscope_status
  node_status=$(cat "$base.node.status")
  wasmscope_status=$(cat "$base.wasmscope.status")

  if ! cmp -s "$base.node.out" "$base.wasmscope.out"; then
    report+="  stdout differs:"$'\n'"$(show_diff stdout "$base.node.out" "$base.wasmscope.out")"$'\n'
  fi
  if [[ $expect == trap ]]; then
    if [[ $node_status != 1 ]] || ! grep -q 'RuntimeError' "$base.node.err"; then
      report+="  node did not trap (status $node_status):"$'\n'"$(sed 's/^/    /' "$base.node.err")"$'\n'
    fi
    if [[ $wasmscope_status != "$kTrapStatus" ]] || ! grep -q 'trap' "$base.wasmscope.err"; then
      report+="  wasmscope did not trap (status $wasmscope_status, expected $kTrapStatus):"$'\n'
      report+="$(sed 's/^/    /' "$base.wasmscope.err")"$'\n'
    fi
  else
    if ! cmp -s "$base.node.err" "$base.wasmscope.err"; then
      report+="  stderr differs:"$'\n'"$(show_diff stderr "$base.node.err" "$base.wasmscope.err")"$'\n'
    fi
    if [[ $node_status != "$wasmscope_status" ]]; then
      report+="  exit status differs: node $node_status, wasmscope $wasmscope_status"$'\n'
    fi
    local files
    if ! files=$(diff -r "$base.node" "$base.wasmscope" 2>&1); then
      report+="  files left in the preopened directory differ:"$'\n'"$(sed 's/^/    /' <<<"$files")"$'\n'
    fi
  fi

  if [[ -z $report ]]; then
    echo "PASS $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name"
    printf '%s' "$report"
    failed=$((failed + 1))
  fi
}

for opt in O0 O2; do
  # Arguments after the module belong to the guest, even "--fuel 3".
  check "hello.$opt" exit \
    --dir @DIR@::/sandbox --env GREETING="hi there" --env EMPTY= -- \
    "hello.$opt.wasm" alpha "two words" "" "naïve ünïcode" --fuel 3
  # No preopened directory: the guest's open fails (ENOTCAPABLE, worded by
  # wasi-libc) and it exits 1.
  check "hello-no-dir.$opt" exit -- "hello.$opt.wasm"
  # A preopen under another guest name, chosen through the environment.
  check "hello-other-dir.$opt" exit \
    --dir @DIR@::/data --env HELLO_DIR=/data -- "hello.$opt.wasm"
  check "request_handler.$opt" exit -- "request_handler.$opt.wasm"
  check "request_handler-1000.$opt" exit -- "request_handler.$opt.wasm" 1000
  check "out_of_bounds.$opt" trap -- "out_of_bounds.$opt.wasm"
  # An index in range: no trap, the histogram is printed.
  check "out_of_bounds-in-range.$opt" exit -- "out_of_bounds.$opt.wasm" 50
  check "compute.$opt" exit -- "compute.$opt.wasm"
  check "compute-small.$opt" exit -- "compute.$opt.wasm" 24 50
  # A usage error: a message on stderr and the guest's own exit status 2.
  check "compute-usage.$opt" exit -- "compute.$opt.wasm" 0
  check "linked_structures.$opt" exit -- "linked_structures.$opt.wasm"
  check "recursion.$opt" exit -- "recursion.$opt.wasm"
  check "worker.$opt" exit -- "worker.$opt.wasm" 3 40
  # Jobs from stdin, which is empty here: none.
  check "worker-stdin.$opt" exit -- "worker.$opt.wasm" -
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
