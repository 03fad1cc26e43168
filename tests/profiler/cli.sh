#!/usr/bin/env bash
# `wasmscope profile`, `report` and `convert` from the command line:
#  * profile runs a module exactly as `run` does: same stdout, same exit
#    status, and run's stderr followed by the summary;
#  * the profile is written where -o says, in the format its extension or
#    --format says, and never left half-written;
#  * report and convert read it back; bad input gets one error line, exit 2.
# usage: cli.sh WASMSCOPE SAMPLES_DIR WORK_DIR
set -u
wasmscope=$1
samples=$2
work=$3
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1
if ! ls "$samples"/*.wasm >/dev/null 2>&1; then
  echo "no samples built: skipping"
  exit 77
fi

passed=0
failed=0
check() { # check NAME CONDITION-STATUS MESSAGE
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $1: $3"; fi
}

for module in "$samples"/*.wasm; do
  name=$(basename "$module" .wasm)
  "$wasmscope" run "$module" a b >run.out 2>run.err </dev/null
  run_status=$?
  "$wasmscope" profile -o "$name.json" "$module" a b >prof.out 2>prof.err </dev/null
  prof_status=$?
  check "$name status" $([ "$run_status" -eq "$prof_status" ] && echo 0 || echo 1) \
    "run exited $run_status, profile $prof_status"
  cmp -s run.out prof.out
  check "$name stdout" $? "stdout differs from run's"
  head -c "$(wc -c <run.err)" prof.err | cmp -s - run.err
  check "$name stderr" $? "stderr does not start with run's"
  grep -q "^wasmscope: profile: .* instructions" prof.err
  check "$name summary" $? "no summary on stderr"
  grep -q "\"format\": \"wasmscope-profile\"" "$name.json"
  check "$name json" $? "no JSON profile written"
  # The guest's arguments are its own, even when they look like ours.
  "$wasmscope" report --top 3 "$name.json" >report.txt 2>&1
  check "$name report" $? "report failed: $(head -3 report.txt)"
  grep -q "^Top functions by self instructions:" report.txt
  check "$name report tables" $? "report has no function table"
done

module="$samples/compute.O2.wasm"
# A fuel budget runs out at the same instruction under profile as under run.
"$wasmscope" run --fuel 5000 "$module" >run.out 2>run.err </dev/null
run_status=$?
"$wasmscope" profile --fuel 5000 -o fuel.json "$module" >prof.out 2>prof.err </dev/null
prof_status=$?
head -c "$(wc -c <run.err)" prof.err | cmp -s - run.err
check "--fuel trap" $([ $? -eq 0 ] && [ $run_status -eq 134 ] && [ $prof_status -eq 134 ] && echo 0 || echo 1) \
  "run ($run_status) and profile ($prof_status) stopped differently"
# Format from the extension, or from --format.
"$wasmscope" profile -o c.pb.gz "$module" >/dev/null 2>&1
[ "$(head -c 2 c.pb.gz | od -An -tx1 | tr -d ' \n')" = "1f8b" ]
check "pprof from .pb.gz" $? "c.pb.gz is not gzip"
"$wasmscope" profile --format collapsed -o c.txt "$module" >/dev/null 2>&1
grep -q "^_start.command_export;_start;" c.txt
check "--format collapsed" $? "c.txt is not collapsed stacks"
"$wasmscope" profile -o callgrind.out.c "$module" >/dev/null 2>&1
grep -q "^events: Instructions" callgrind.out.c
check "callgrind from name" $? "callgrind.out.c is not callgrind"
# Convert gives the same bytes as writing the format directly.
"$wasmscope" profile -o c.json "$module" >/dev/null 2>&1
"$wasmscope" convert c.json -o c2.txt --format collapsed
cmp -s c.txt c2.txt
check "convert equals direct" $? "converted collapsed stacks differ"
# A guest option after MODULE belongs to the guest.
"$wasmscope" profile -o h.json "$samples/hello.O0.wasm" --format xyz >h.out 2>/dev/null </dev/null
grep -q -- "--format" h.out
check "guest args" $? "--format after MODULE did not reach the guest"
# Errors: one line, exit 2, no file left behind.
"$wasmscope" profile --format svg "$module" >/dev/null 2>err.txt
status=$?
check "bad format" $([ $status -eq 2 ] && echo 0 || echo 1) "exit $status"
"$wasmscope" report missing.json >/dev/null 2>err.txt
status=$?
check "missing profile" $([ $status -eq 2 ] && grep -q "^wasmscope: error: cannot open 'missing.json'" err.txt && echo 0 || echo 1) \
  "exit $status: $(cat err.txt)"
echo '{"format": "wasmscope-profile", "version": 1}' >bad.json
"$wasmscope" report bad.json >/dev/null 2>err.txt
status=$?
check "bad profile" $([ $status -eq 2 ] && grep -q "run: missing" err.txt && echo 0 || echo 1) "exit $status: $(cat err.txt)"
"$wasmscope" profile -o /nonexistent/dir/p.json "$module" >/dev/null 2>err.txt
status=$?
check "unwritable output" $([ $status -eq 2 ] && grep -q "cannot write" err.txt && echo 0 || echo 1) "exit $status: $(cat err.txt)"
ls -a | grep -q '^\..*XXXXXX\|^\.c\.json\.' && check "temp files" 1 "a temporary file was left behind" || check "temp files" 0 ""
for command in profile report convert; do
  "$wasmscope" "$command" --help >help.txt 2>&1
  grep -q "Examples:\|Example:" help.txt
  check "$command --help" $? "no examples in --help"
done

# --memory: the heap profile and leak check of request_handler, whose three
# marked leaks must appear as definitely lost records at their source lines;
# the run's output and status stay the guest's; --leak-exit-code fails it.
module="$samples/request_handler.O0.wasm"
if [ -f "$module" ]; then
  "$wasmscope" run "$module" >run.out 2>/dev/null </dev/null
  "$wasmscope" profile --memory -o rh.json "$module" >prof.out 2>prof.err </dev/null
  status=$?
  check "--memory status" $([ $status -eq 0 ] && echo 0 || echo 1) "exit $status: $(tail -3 prof.err)"
  cmp -s run.out prof.out
  check "--memory stdout" $? "stdout differs from run's"
  grep -q "^   definitely lost: [1-9][0-9,]* bytes in [1-9][0-9,]* blocks" prof.err
  check "--memory LEAK SUMMARY" $? "no definitely lost line: $(grep -A5 'LEAK SUMMARY' prof.err)"
  "$wasmscope" report --leaks rh.json >leaks.txt 2>&1
  check "report --leaks" $? "$(head -3 leaks.txt)"
  # Each leak's allocating call, as the loss records' stacks name it.
  grep -q "by copy_string (request_handler.c:101)" leaks.txt &&
    grep -q "by parse_request (request_handler.c:112)" leaks.txt
  check "leak 1 (method)" $? "no record through parse_request:112"
  grep -q "are definitely lost in loss record" leaks.txt &&
    grep -q "by response_new (request_handler.c:" leaks.txt
  check "leak 2 (response)" $? "no record through response_new"
  grep -q "by add_user (request_handler.c:207)" leaks.txt
  check "leak 3 (user name)" $? "no record through add_user:207"
  # wasi-libc's argv: allocated by __main_void itself, suppressed by default.
  grep -B1 "^   by __main_void" leaks.txt | grep -q "alloc"
  check "default suppressions" $([ $? -ne 0 ] && echo 0 || echo 1) "wasi-libc's argv shows as a leak"
  "$wasmscope" report --peak --sites rh.json >peak.txt 2>&1
  grep -q "^Peak: [0-9,]* bytes in [0-9,]* blocks live at instruction" peak.txt &&
    grep -q "^Allocation sites by bytes allocated" peak.txt
  check "report --peak --sites" $? "$(head -8 peak.txt)"
  "$wasmscope" profile --memory-only --leak-exit-code 9 -o rh2.json "$module" >/dev/null 2>err.txt </dev/null
  status=$?
  check "--leak-exit-code" $([ $status -eq 9 ] && echo 0 || echo 1) "exit $status"
  printf 'leak:copy_string\nleak:response_new\nleak:response_append\n' >supp.txt
  "$wasmscope" profile --memory-only --suppressions supp.txt --leak-exit-code 9 -o rh3.json "$module" >/dev/null 2>err.txt </dev/null
  status=$?
  check "--suppressions" $([ $status -eq 0 ] && grep -q "^   definitely lost: 0 bytes in 0 blocks" err.txt && echo 0 || echo 1) \
    "exit $status: $(grep -A6 'LEAK SUMMARY' err.txt)"
  "$wasmscope" profile --memory --allocator nosuch=malloc -o rh4.json "$module" >/dev/null 2>err.txt </dev/null
  status=$?
  check "--allocator unknown" $([ $status -eq 2 ] && grep -q "^wasmscope: error: .*nosuch" err.txt && echo 0 || echo 1) "exit $status: $(cat err.txt)"
  "$wasmscope" report --leaks c.json >/dev/null 2>err.txt
  status=$?
  check "report --leaks without memory" $([ $status -eq 2 ] && grep -q "no memory profile" err.txt && echo 0 || echo 1) "exit $status: $(cat err.txt)"
fi

echo "profiler cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
