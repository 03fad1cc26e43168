#!/usr/bin/env bash
# End-to-end test of `wasmscope ci` on samples/request_handler.c, built once
# as is (BASE) and once with -DREQUEST_HANDLER_REGRESSION (REGRESSED: a
# hotter next_random() and a fourth leak, every other line unchanged):
#   1. --update-baseline writes a baseline; twice gives the same bytes; keys
#      are function names and paths relative to the source root;
#   2. BASE against it exits 0, twice, with byte-identical reports;
#   3. REGRESSED exits 3 (a new leak site); its JUnit is well-formed
#      (xmllint), read back by junit2json with the suites, cases, failures,
#      files and lines of the JSON report, and names the new leak's
#      file:line and next_random's; the Markdown names the function that grew
#      and the new leak with its stack; with leaks allowed it exits 1;
#   4. wasmscope's own errors exit 2 with one "wasmscope: error:" line;
#   5. a --config run: scenarios with args, env and a stdin file; per-scenario
#      thresholds; a required exit status;
#   6. SIGKILL during --update-baseline and report writes, repeated, leaves
#      every file either the old or the new complete file.
# Usage: e2e.sh WASMSCOPE BASE.wasm REGRESSED.wasm SOURCE_ROOT OUT_DIR [NODE]
set -u
ws=$1 base=$2 regressed=$3 root=$4 out=$5 node=${6:-}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out" && mkdir -p "$out" && cd "$out" || exit 1

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# expect STATUS DESCRIPTION -- wasmscope ci ARGS...: runs it, output in
# last.out / last.err, and checks the exit status.
expect() {
  local want=$1 what=$2
  shift 3
  "$ws" ci "$@" >last.out 2>last.err
  local got=$?
  if [ "$got" = "$want" ]; then pass "$what (exit $got)"; else
    fail "$what: exit $got, expected $want"; sed 's/^/  | /' last.err | tail -20; fi
}
same() { if cmp -s "$1" "$2"; then pass "$3"; else fail "$3: $1 and $2 differ"; diff "$1" "$2" | head -20; fi; }
contains() { if grep -qF -- "$2" "$1"; then pass "$3"; else fail "$3: '$2' not in $1"; head -c 3000 "$1"; fi; }
lacks() { if grep -qF -- "$2" "$1"; then fail "$3: '$2' found in $1"; else pass "$3"; fi; }

common=(--source-root "$root" --name request_handler --function-floor 500)
reports() { echo --junit "$1.junit.xml" --markdown "$1.md" --json "$1.json"; }

# --- 1. the baseline ---------------------------------------------------------
expect 0 "update-baseline creates the baseline" -- "${common[@]}" --baseline baseline.json \
  --update-baseline "$base" 200
cp baseline.json baseline.first.json
expect 0 "update-baseline again" -- "${common[@]}" --baseline baseline.json --update-baseline "$base" 200
same baseline.first.json baseline.json "the same run gives the same baseline bytes"
contains baseline.json '"format": "wasmscope-ci-baseline"' "baseline names its format"
contains baseline.json '"next_random": {' "functions are keyed by name"
contains baseline.json '"file": "samples/request_handler.c"' "files are relative to the source root"
lacks baseline.json "$root" "no absolute path under the source root"
lacks baseline.json '"address"' "no code addresses"
python3 - baseline.json <<'PY' || fail "baseline content"
import json, sys
doc = json.load(open(sys.argv[1]))
s = doc["scenarios"]["request_handler"]
assert doc["version"] == 1 and s["exit_status"] == 0, s
assert s["totals"]["instructions"] > 100000, s["totals"]
f = s["functions"]
assert f["next_random"]["self_instructions"] >= 500 and f["next_random"]["line"] > 0, f["next_random"]
assert all(v["self_instructions"] >= 500 for v in f.values())
t = s["totals"]
# The three leaks of request_handler.c, and memory metrics next to the counts.
assert t["definitely_lost_bytes"] > 0 and t["allocations"] > 200 and t["peak_bytes"] > 0, t
assert t["final_memory_bytes"] % 65536 == 0 and t["final_memory_bytes"] > 0, t
leaks = s["leak_sites"]
definite = [k for k, v in leaks.items() if v.get("definitely_lost_bytes", 0) > 0]
assert any("parse_request samples/request_handler.c:" in k for k in definite), definite
assert any("delete_user" in k or "add_user" in k for k in definite), definite
assert not any("warm_up_cache" in k for k in leaks), leaks
assert s["alloc_sites"] and s["peak_sites"], s.keys()
PY

# --- 2. the unchanged program passes, reproducibly --------------------------
expect 0 "unchanged program passes" -- "${common[@]}" --baseline baseline.json $(reports pass1) "$base" 200
contains last.err "wasmscope: ci: PASS: 1 scenario, no regression" "verdict on stderr"
expect 0 "unchanged program passes again" -- "${common[@]}" --baseline baseline.json $(reports pass2) "$base" 200
for ext in junit.xml md json; do same pass1.$ext pass2.$ext "identical $ext reports on two runs"; done
same baseline.first.json baseline.json "comparing never rewrites the baseline"
xmllint --noout pass1.junit.xml && pass "passing JUnit is well-formed" || fail "passing JUnit not well-formed"
contains pass1.md "PASS: 1 scenario, no regression" "Markdown verdict"
contains pass1.md "| Instructions (instructions) |" "Markdown totals table"

# --- 3. the regressed variant fails ----------------------------------------
expect 3 "regressed variant exits 3 (new leak site)" -- "${common[@]}" --baseline baseline.json \
  $(reports fail) --annotations github "$regressed" 200
same baseline.first.json baseline.json "a failing run leaves the baseline alone"
contains last.err "FAIL: new leak sites in 1 of 1 scenario" "failure verdict on stderr"
contains last.err "Instructions of function next_random grew" "stderr names the function"
contains last.err "new leak site copy_string samples/request_handler.c:101 <- warm_up_cache samples/request_handler.c:366" \
  "stderr names the new leak site"
contains fail.junit.xml '<testcase name="new leak site copy_string samples/request_handler.c:101 &lt;- warm_up_cache samples/request_handler.c:366' \
  "JUnit has a test case for the new leak site"
contains fail.junit.xml 'type="new-leak"' "JUnit failure type of the new leak"
contains fail.md "#### New leak sites" "Markdown lists new leak sites"
contains fail.md "  - \`warm_up_cache samples/request_handler.c:366\`" "Markdown shows the leak's stack"
contains last.out "::error file=samples/request_handler.c,line=101,title=wasmscope ci%3A request_handler%3A new leak::" \
  "GitHub annotation at the new leak"
line=$(python3 -c "import json;print(json.load(open('baseline.json'))['scenarios']['request_handler']['functions']['next_random']['line'])")
xmllint --noout fail.junit.xml && pass "failing JUnit is well-formed" || fail "failing JUnit not well-formed"
contains fail.junit.xml "file=\"samples/request_handler.c\" line=\"$line\"" "JUnit points at next_random's file:line"
contains fail.junit.xml '<failure message="Instructions grew' "JUnit fails the total"
contains fail.md "next\\_random" "Markdown names the function that grew"
contains fail.md "\`samples/request_handler.c:$line\`" "Markdown gives its file:line"
contains fail.md "❌ **regressed**" "Markdown marks the regression"
contains last.out "::error file=samples/request_handler.c,line=$line,title=wasmscope ci%3A request_handler%3A regression::" \
  "GitHub annotation at next_random"
python3 - fail.json "$line" <<'PY' || fail "JSON report content"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["format"] == "wasmscope-ci-report" and doc["version"] == 1 and doc["exit_code"] == 3
leak = [c for c in doc["scenarios"][0]["checks"] if c["status"] == "new-leak"]
assert len(leak) == 1 and leak[0]["metric"] == "definitely_lost_bytes" and leak[0]["line"] == 101, leak
assert leak[0]["stack"][1].startswith("warm_up_cache samples/request_handler.c:366"), leak
checks = doc["scenarios"][0]["checks"]
nr = [c for c in checks if c.get("key") == "next_random"][0]
assert nr["status"] == "regressed" and nr["line"] == int(sys.argv[2]) and nr["delta"] > 0, nr
total = [c for c in checks if c["scope"] == "total" and c["metric"] == "instructions"][0]
assert total["status"] == "regressed" and total["current"] > total["baseline"], total
PY
if [ -n "$node" ] && [ -d "$here/node_modules/junit2json" ]; then
  for run in pass1 fail; do
    if "$node" "$here/read_junit.mjs" $run.junit.xml > $run.junit-read.json; then
      python3 - $run.junit-read.json $run.json <<'PY' && pass "junit2json reads back the $run report" || fail "junit2json read of $run"
import json, sys
read = json.load(open(sys.argv[1]))
report = json.load(open(sys.argv[2]))
suites = read["suites"]
assert [s["name"] for s in suites] == [s["name"] for s in report["scenarios"]], suites
for suite, scenario in zip(suites, report["scenarios"]):
    expected = [c for c in scenario["checks"]
                if c["scope"] != "item" or c["status"] in ("regressed", "new-leak")]
    assert len(suite["cases"]) == len(expected) == suite["tests"], (suite, expected)
    failed = [c for c in expected if c["status"] in ("regressed", "new-leak")]
    assert suite["failures"] == len(failed)
    for case, check in zip(suite["cases"], expected):
        assert (case["failure"] is not None) == (check["status"] in ("regressed", "new-leak")), case
        if case["failure"] is not None:
            assert case["failure"] == check["message"], (case, check)
        assert case["file"] == check.get("file"), (case, check)
        assert (case["line"] is None and "line" not in check) or int(case["line"]) == check["line"], (case, check)
assert read["failures"] == sum(s["failures"] for s in suites)
PY
    else fail "junit2json could not read $run.junit.xml"; fi
  done
else
  echo "skip: junit2json (node or tests/ci/node_modules missing: npm ci in tests/ci)"
fi
# A looser limit lets the same variant pass; a zero limit catches the base run's exact count.
expect 0 "only instructions, and off: the variant passes" -- "${common[@]}" --baseline baseline.json \
  --metrics instructions --threshold instructions=off "$regressed" 200
expect 1 "only instructions: the variant exits 1" -- "${common[@]}" --baseline baseline.json \
  --metrics instructions "$regressed" 200
expect 1 "only leaks: more definitely lost bytes exit 1 without the new-site rule" -- "${common[@]}" \
  --baseline baseline.json --metrics definitely_lost_bytes --allow-new-leak-sites "$regressed" 200
contains last.err "Definitely lost grew" "leaked bytes growth reported"
expect 1 "zero threshold catches one more request" -- "${common[@]}" --baseline baseline.json \
  --threshold instructions=0 "$base" 201
expect 1 "a different exit status is a regression" -- "${common[@]}" --baseline baseline.json \
  --expect-exit 3 "$base" 200
contains last.err "required 3" "the exit requirement is reported"

# --- 4. wasmscope's own errors: exit 2, one line ------------------------------
one_error() {
  if [ "$(grep -c '^wasmscope: error:' last.err)" = 1 ]; then pass "$1: one error line"; else
    fail "$1: expected one 'wasmscope: error:' line"; cat last.err; fi
}
expect 2 "missing baseline" -- "${common[@]}" --baseline nope.json "$base" 200; one_error "missing baseline"
contains last.err "create it with --update-baseline" "missing baseline says how to create it"
expect 2 "no baseline option" -- --source-root "$root" "$base" 200; one_error "no baseline option"
expect 2 "scenario not in the baseline" -- --baseline baseline.json --name other "$base" 200; one_error "unknown scenario"
expect 2 "module missing" -- "${common[@]}" --baseline baseline.json does-not-exist.wasm; one_error "module missing"
echo '{"format": "wasmscope-ci-baseline", "version": 1, "scenarios": {' > broken.json
expect 2 "malformed baseline" -- "${common[@]}" --baseline broken.json "$base" 200; one_error "malformed baseline"
expect 2 "bad threshold" -- "${common[@]}" --baseline baseline.json --threshold instructions=lots "$base"; one_error "bad threshold"
echo '{"version": 1, "scenarios": [{"name": "x"}]}' > bad-config.json
expect 2 "bad config" -- --config bad-config.json; one_error "bad config"
contains last.err "bad-config.json" "config error names the file"
expect 2 "config and module together" -- --config bad-config.json "$base"; one_error "config and module"

# --- 5. a config file --------------------------------------------------------
mkdir -p cfg && cp "$base" cfg/app.wasm && cp "$regressed" cfg/app-regressed.wasm
printf 'line one\nline two\n' > cfg/input.txt
cat > cfg/wasmscope-ci.json <<JSON
{
  "version": 1,
  "baseline": "baseline.json",
  "source_root": "$root",
  "function_floor": 500,
  "thresholds": { "instructions": { "total": "1%", "function": "5%" } },
  "scenarios": [
    { "name": "small", "module": "app.wasm", "args": ["20"], "env": { "MODE": "ci" },
      "stdin": "input.txt" },
    { "name": "large", "module": "app.wasm", "args": ["400"],
      "thresholds": { "instructions": "0", "exit_status": 0 } }
  ]
}
JSON
expect 0 "config: update the baseline" -- --config cfg/wasmscope-ci.json --update-baseline
contains cfg/baseline.json '"small": {' "config baseline has the first scenario"
contains cfg/baseline.json '"large": {' "config baseline has the second scenario"
expect 0 "config: compare" -- --config cfg/wasmscope-ci.json $(reports cfg)
xmllint --noout cfg.junit.xml && pass "config JUnit well-formed" || fail "config JUnit"
[ "$(grep -c '<testsuite ' cfg.junit.xml)" = 2 ] && pass "one testsuite per scenario" || fail "testsuites per scenario"
sed 's/"app.wasm"/"app-regressed.wasm"/g' cfg/wasmscope-ci.json > cfg/regressed.json
expect 3 "config: regressed modules fail with a new leak" -- --config cfg/regressed.json $(reports cfg-fail)
contains cfg-fail.md "### small: ❌ new leak" "Markdown section per scenario"
sed 's/"thresholds": { "instructions": { "total": "1%", "function": "5%" } }/"thresholds": { "instructions": { "total": "1%", "function": "5%" }, "new_leak_sites": "allow" }/' \
  cfg/regressed.json > cfg/allow.json
contains cfg/allow.json '"new_leak_sites": "allow"' "config with leaks allowed written"
expect 1 "config: new leak sites allowed, the thresholds still fail" -- --config cfg/allow.json

# --- 6. SIGKILL while writing ---------------------------------------------
# Old and new complete files, made by runs that were not interrupted: the
# baseline (kb-*.json) and the reports (kr-new.*).
cp baseline.first.json kb-old.json
cp baseline.first.json kb.json
started=$(date +%s%N)
"$ws" ci "${common[@]}" --baseline kb.json --update-baseline $(reports kr-new) "$regressed" 200 \
  >/dev/null 2>&1
runMs=$(( ($(date +%s%N) - started) / 1000000 ))
cp kb.json kb-new.json
cmp -s kb-old.json kb-new.json && fail "kill test: the old and new baselines should differ"
killed=0 completed=0 sawOld=0 sawNew=0
for i in $(seq 1 30); do
  cp kb-old.json kb.json
  for ext in junit.xml md json; do echo "old report" > kr.$ext; done
  "$ws" ci "${common[@]}" --baseline kb.json --update-baseline $(reports kr) "$regressed" 200 \
    >/dev/null 2>&1 &
  pid=$!
  # From 1/20 to 3/2 of an uninterrupted run's time (about 100 ms on an idle
  # machine, most of it the fsyncs), so kills land during the profile,
  # during the writes and after them, however loaded the machine is.
  delay=$(( runMs * i / 20 ))
  sleep "$(( delay / 1000 )).$(printf '%03d' $(( delay % 1000 )))"
  if kill -KILL $pid 2>/dev/null; then killed=$((killed + 1)); else completed=$((completed + 1)); fi
  wait $pid 2>/dev/null
  if cmp -s kb.json kb-old.json; then sawOld=$((sawOld + 1));
  elif cmp -s kb.json kb-new.json; then sawNew=$((sawNew + 1));
  else fail "kill $i: the baseline is neither the old nor the new file"; fi
  for ext in junit.xml md json; do
    if [ "$(cat kr.$ext)" != "old report" ] && ! cmp -s kr.$ext kr-new.$ext; then
      fail "kill $i: kr.$ext is neither the old nor the new report"
    fi
  done
done
echo "SIGKILL x30 (a run took ${runMs} ms): $killed killed, $completed finished first; baseline old $sawOld times, new $sawNew times"
[ "$killed" -gt 0 ] || fail "kill test: no run was killed (runs too fast for the delays?)"

echo "$failures failure(s)"
[ "$failures" = 0 ]
