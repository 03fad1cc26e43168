#!/usr/bin/env python3
"""Checks wasmscope's profile formats with the tools people open them with.

usage: consumers.py CONSUMER WASMSCOPE SAMPLES_DIR KERNELS_DIR WORK_DIR [NODE [PROGRAMS_DIR]]

CONSUMER is one of:
  pprof      `go tool pprof -top` reads the pprof file and reports the same
             total, the same flat (self) and cum (total) instructions per
             function and the same call counts as wasmscope's JSON profile
  callgrind  `callgrind_annotate` reads the callgrind file and its program
             total, per-function self and inclusive costs equal ours
  speedscope the speedscope file (sampled profile and call trace) validates
             against the file-format schema the speedscope package ships
  collapsed  the collapsed stacks and counts equal the stacks and counts
             `go tool pprof -traces` prints for the pprof file of the run

Every sample (-O0 and -O2), every benchmark kernel (--invoke run_small) and
every real-program benchmark (at a small size) is profiled once. Exits 77 (ctest's skip) only when the consumer tool is
absent.
"""
import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict

SKIP = 77


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)


# The real-program benchmarks at sizes that run for a moment.
PROGRAM_SIZES = {"coremix": "4", "jsondom": "1", "lzhuff": "8", "minidb": "300", "reqserver": "300",
                 "scriptvm": "1"}


def modules(samples_dir, kernels_dir, programs_dir=None):
    out = []
    for name in sorted(os.listdir(samples_dir)) if os.path.isdir(samples_dir) else []:
        if name.endswith(".wasm"):
            out.append((name[:-5], os.path.join(samples_dir, name), []))
    for name in sorted(os.listdir(kernels_dir)) if os.path.isdir(kernels_dir) else []:
        if name.endswith(".wasm"):
            out.append(("kernel-" + name[:-5], os.path.join(kernels_dir, name), ["--invoke", "run_small"]))
    for name, size in sorted(PROGRAM_SIZES.items()):
        path = os.path.join(programs_dir or "", name + ".wasm")
        if programs_dir and os.path.exists(path):
            out.append(("program-" + name, path, [], [size]))
    return [m if len(m) == 4 else m + ([],) for m in out]


def profile(wasmscope, work, name, path, extra, trace=False, args=()):
    """Profiles one module; returns (json path, parsed profile)."""
    out = os.path.join(work, name + ".profile.json")
    cmd = [wasmscope, "profile", "--top", "0", "-o", out] + (["--trace"] if trace else []) + extra + [path]
    cmd += list(args)
    r = run(cmd, stdin=subprocess.DEVNULL)
    if not os.path.exists(out):
        raise SystemExit(f"{name}: no profile written (status {r.returncode}): {r.stderr}")
    with open(out) as f:
        return out, json.load(f)


def convert(wasmscope, src, fmt, dest):
    r = run([wasmscope, "convert", src, "--format", fmt, "-o", dest])
    if r.returncode != 0:
        raise SystemExit(f"convert to {fmt} failed: {r.stderr}")
    return dest


def by_name(prof, field, kinds=("wasm", "inlined", "host")):
    sums = defaultdict(int)
    for f in prof["functions"]:
        frame = prof["frames"][f["frame"]]
        if frame["kind"] in kinds:
            sums[frame["name"]] += f[field]
    return sums


def unique_wasm_names(prof):
    count = defaultdict(int)
    for fr in prof["frames"]:
        count[fr["name"]] += 1
    return {fr["name"] for fr in prof["frames"] if fr["kind"] == "wasm" and count[fr["name"]] == 1}


def go_env(work):
    env = dict(os.environ)
    env.setdefault("HOME", work)
    env["GOFLAGS"] = ""
    env.setdefault("GOCACHE", os.path.join(work, "gocache"))
    return env


def pprof_top(pb, work, sample_index):
    r = run(["go", "tool", "pprof", "-top", "-nodecount=1000000", "-nodefraction=0", "-edgefraction=0",
             "-sample_index=" + sample_index, pb], env=go_env(work))
    if r.returncode != 0:
        raise SystemExit(f"go tool pprof -top failed on {pb}: {r.stderr}")
    total = None
    rows = {}
    for line in r.stdout.splitlines():
        m = re.match(r"Showing nodes accounting for (\d+), [\d.e+-]+% of (\d+) total", line.strip())
        if m:
            total = int(m.group(2))
        m = re.match(r"\s*(\d+)\s+\S+%\s+\S+%\s+(\d+)\s+\S+%\s+(.*)$", line)
        if m:
            name = clean(m.group(3))
            flat, cum = int(m.group(1)), int(m.group(2))
            prev = rows.get(name, (0, 0))
            rows[name] = (prev[0] + flat, max(prev[1], cum))
    if total is None:
        # pprof prints no "Showing nodes" line when every value is zero.
        total = 0
    return total, rows, r.stdout


def pprof_traces(pb, work):
    r = run(["go", "tool", "pprof", "-traces", pb], env=go_env(work))
    if r.returncode != 0:
        raise SystemExit(f"go tool pprof -traces failed on {pb}: {r.stderr}")
    stacks = defaultdict(int)
    block = []

    def flush():
        if not block:
            return
        value = int(block[0][0])
        frames = [f for _, f in block]
        if value:
            stacks[";".join(reversed(frames))] += value

    for line in r.stdout.splitlines():
        if line.startswith("-----------+"):
            flush()
            block = []
            continue
        m = re.match(r"^\s*(\d+)\s{3}(\S.*)$", line)
        if m and not block:
            block.append((m.group(1), clean(m.group(2))))
            continue
        m = re.match(r"^\s{13}(\S.*)$", line)
        if m and block:
            block.append((None, clean(m.group(1))))
    flush()
    return stacks


def clean(frame):
    """A pprof frame name without the inlining marks pprof adds."""
    frame = frame.rstrip()
    for mark in (" (inline)", " (partial-inline)"):
        if frame.endswith(mark):
            frame = frame[: -len(mark)]
    return frame.replace(";", ":")


def check_pprof(wasmscope, mods, work, node):
    if not shutil.which("go"):
        print("go not found: skipping (scripts/setup.sh installs golang-go)")
        return SKIP
    failures = 0
    for name, path, extra, args in mods:
        src, prof = profile(wasmscope, work, name, path, extra, args=args)
        pb = convert(wasmscope, src, "pprof", os.path.join(work, name + ".pb.gz"))
        total, rows, text = pprof_top(pb, work, "instructions")
        problems = []
        if total != prof["totals"]["instructions"]:
            problems.append(f"total {total} != {prof['totals']['instructions']}")
        ours_self = by_name(prof, "self")
        unique = unique_wasm_names(prof)
        ours_total = by_name(prof, "total")
        for fname, self_count in ours_self.items():
            if self_count == 0:
                continue
            flat, cum = rows.get(fname, (0, 0))
            if flat != self_count:
                problems.append(f"{fname}: flat {flat} != self {self_count}")
            if fname in unique and cum != ours_total[fname]:
                problems.append(f"{fname}: cum {cum} != total {ours_total[fname]}")
        for fname, (flat, _) in rows.items():
            if flat and ours_self.get(fname, 0) != flat:
                problems.append(f"{fname}: pprof has flat {flat}, we have {ours_self.get(fname, 0)}")
        ctotal, crows, _ = pprof_top(pb, work, "calls")
        if ctotal != prof["totals"]["calls"] + prof["totals"]["hostCalls"]:
            problems.append(f"calls total {ctotal} != {prof['totals']['calls'] + prof['totals']['hostCalls']}")
        for fname, calls in by_name(prof, "calls", ("wasm", "host")).items():
            if calls and crows.get(fname, (0, 0))[0] != calls:
                problems.append(f"{fname}: pprof calls {crows.get(fname, (0, 0))[0]} != {calls}")
        report(name, problems)
        failures += bool(problems)
    return failures


def check_callgrind(wasmscope, mods, work, node):
    if not shutil.which("callgrind_annotate"):
        print("callgrind_annotate not found: skipping (scripts/setup.sh installs valgrind)")
        return SKIP
    failures = 0
    for name, path, extra, args in mods:
        src, prof = profile(wasmscope, work, name, path, extra, args=args)
        cg = convert(wasmscope, src, "callgrind", os.path.join(work, "callgrind.out." + name))
        problems = []
        for inclusive in ("no", "yes"):
            r = run(["callgrind_annotate", "--inclusive=" + inclusive, "--threshold=100", "--auto=no",
                     "--show-percs=no", cg], cwd=work)  # cwd: it relativises paths under it
            if r.returncode != 0:
                raise SystemExit(f"callgrind_annotate failed on {cg}: {r.stderr}")
            total = None
            rows = defaultdict(int)
            # Only the function table: annotated source listings may follow.
            section = "header"
            for line in r.stdout.splitlines():
                m = re.match(r"^\s*([\d,]+)\s+PROGRAM TOTALS", line)
                if m:
                    total = int(m.group(1).replace(",", ""))
                    continue
                if line.rstrip().endswith("file:function"):
                    section = "table"
                    continue
                if section == "table" and line.startswith("-----"):
                    if rows:
                        section = "after"
                    continue
                m = re.match(r"^\s*([\d,]+)\s+(.*):(.*)$", line)
                if section == "table" and m:
                    # A function whose lines span files (fi=) is listed once per
                    # file: self costs add up; an inclusive cost is the home
                    # file's, the largest.
                    value = int(m.group(1).replace(",", ""))
                    fname = m.group(3).strip()
                    rows[fname] = rows[fname] + value if inclusive == "no" else max(rows[fname], value)
            if total != prof["totals"]["instructions"]:
                problems.append(f"--inclusive={inclusive}: PROGRAM TOTALS {total} != {prof['totals']['instructions']}")
            if inclusive == "no":
                for fname, self_count in by_name(prof, "self").items():
                    if self_count and rows.get(fname, 0) != self_count:
                        problems.append(f"{fname}: self {rows.get(fname, 0)} != {self_count}")
            else:
                totals = by_name(prof, "total", ("wasm",))
                for fname in unique_wasm_names(prof):
                    inlined_too = any(fr["name"] == fname and fr["kind"] != "wasm" for fr in prof["frames"])
                    if totals[fname] and not inlined_too and rows.get(fname, 0) != totals[fname]:
                        problems.append(f"{fname}: inclusive {rows.get(fname, 0)} != total {totals[fname]}")
        report(name, problems)
        failures += bool(problems)
    return failures


def check_speedscope(wasmscope, mods, work, node):
    here = os.path.dirname(os.path.abspath(__file__))
    schema = os.path.join(here, "node_modules", "speedscope", "dist", "release", "file-format-schema.json")
    if not node or not shutil.which(node) and not os.path.exists(node):
        print("node not found: skipping")
        return SKIP
    if not os.path.exists(schema):
        print(f"{schema} missing: run `npm ci` in tests/profiler (scripts/setup.sh does)")
        return SKIP
    files = []
    for name, path, extra, args in mods:
        src, prof = profile(wasmscope, work, name, path, extra, trace=True, args=args)
        files.append(convert(wasmscope, src, "speedscope", os.path.join(work, name + ".speedscope.json")))
        # A small ring, so the open-at-start path of the evented profile is exercised.
        small = os.path.join(work, name + ".small.profile.json")
        run([wasmscope, "profile", "--top", "0", "--trace-size", "64", "-o", small] + extra + [path] + list(args),
            stdin=subprocess.DEVNULL)
        files.append(convert(wasmscope, small, "speedscope", os.path.join(work, name + ".small.speedscope.json")))
    r = run([node, os.path.join(here, "validate_speedscope.mjs"), schema] + files)
    sys.stdout.write(r.stdout)
    sys.stderr.write(r.stderr)
    return 0 if r.returncode == 0 else 1


def check_collapsed(wasmscope, mods, work, node):
    if not shutil.which("go"):
        print("go not found: skipping (scripts/setup.sh installs golang-go)")
        return SKIP
    failures = 0
    for name, path, extra, args in mods:
        src, prof = profile(wasmscope, work, name, path, extra, args=args)
        pb = convert(wasmscope, src, "pprof", os.path.join(work, name + ".pb.gz"))
        col = convert(wasmscope, src, "collapsed", os.path.join(work, name + ".collapsed"))
        ours = defaultdict(int)
        with open(col) as f:
            for line in f:
                stack, count = line.rstrip("\n").rsplit(" ", 1)
                ours[stack] += int(count)
        theirs = pprof_traces(pb, work)
        problems = []
        if sum(ours.values()) != prof["totals"]["instructions"]:
            problems.append(f"collapsed sum {sum(ours.values())} != total {prof['totals']['instructions']}")
        for stack in sorted(set(ours) | set(theirs)):
            if ours.get(stack, 0) != theirs.get(stack, 0):
                problems.append(f"{stack}: collapsed {ours.get(stack, 0)} != pprof -traces {theirs.get(stack, 0)}")
        report(name, problems[:10] + ([f"... {len(problems) - 10} more"] if len(problems) > 10 else []))
        failures += bool(problems)
    return failures


def report(name, problems):
    if problems:
        print(f"FAIL {name}:")
        for p in problems:
            print("   ", p)
    else:
        print(f"ok   {name}")


def main():
    if len(sys.argv) < 6:
        print(__doc__)
        return 2
    consumer, wasmscope, samples, kernels, work = sys.argv[1:6]
    node = sys.argv[6] if len(sys.argv) > 6 and sys.argv[6] else shutil.which("node")
    programs = sys.argv[7] if len(sys.argv) > 7 else None
    os.makedirs(work, exist_ok=True)
    mods = modules(samples, kernels, programs)
    if not mods:
        print("no samples or kernels built: skipping")
        return SKIP
    checks = {"pprof": check_pprof, "callgrind": check_callgrind, "speedscope": check_speedscope,
              "collapsed": check_collapsed}
    result = checks[consumer](wasmscope, mods, work, node)
    if result == SKIP:
        return SKIP
    total = len(mods)
    failed = result if consumer != "speedscope" else (total if result else 0)
    print(f"{consumer}: {total - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
