#!/usr/bin/env bash
# Converts the spec suite's .wast scripts with wast2json (only those whose
# JSON is missing or older than the script), then runs spec_runner on all of
# them. A script wast2json rejects is left without JSON and with a
# NAME.wast2json.log, which spec_runner reports as a failed script.
#
#   run_spec.sh WAST2JSON SPEC_RUNNER SUITE_DIR OUT_DIR [spec_runner options...]
set -u

if [ $# -lt 4 ]; then
  echo "usage: $0 WAST2JSON SPEC_RUNNER SUITE_DIR OUT_DIR [spec_runner options...]" >&2
  exit 2
fi
wast2json=$1
runner=$2
suite=$3
out=$4
shift 4

shopt -s nullglob
scripts=("$suite"/*.wast)
if [ ${#scripts[@]} -eq 0 ]; then
  echo "run_spec.sh: no .wast files in $suite" >&2
  exit 2
fi

for wast in "${scripts[@]}"; do
  name=$(basename "$wast" .wast)
  dir=$out/$name
  json=$dir/$name.json
  log=$dir/$name.wast2json.log
  if [ -f "$json" ] && [ "$json" -nt "$wast" ]; then
    continue
  fi
  mkdir -p "$dir"
  # wabt 1.0.32 enables bulk memory, reference types, SIMD and the other
  # 2.0 features by default; no feature flags are needed.
  "$wast2json" "$wast" -o "$json" >"$log" 2>&1
  status=$?
  if [ $status -eq 0 ]; then
    rm -f "$log"
  else
    rm -f "$json"
    [ -s "$log" ] || echo "wast2json exited with status $status" >"$log"
  fi
done

exec "$runner" --json-dir "$out" "$@" "${scripts[@]}"
