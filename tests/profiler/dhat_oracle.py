#!/usr/bin/env python3
"""Valgrind's DHAT as the oracle of `wasmscope profile --format dhat`.

For each C program given, builds it natively for i386 with clang at -O0
(-m32: pointers and size_t are 4 bytes, as in wasm32, so every block has
the same size in both builds; DWARF 4, which Valgrind 3.19 reads) and runs
it under `valgrind --tool=dhat`; builds the same source for wasm32-wasi and
runs it under `wasmscope profile --memory-only --format dhat`. Then:
  * both files parse as JSON and wasmscope's carries every top-level field
    and every program-point field Valgrind's has (what dh_view.html reads),
    with dhatFileVersion 2, mode "heap" and time unit "instrs" (the access
    fields rb, wb and acc only when the file says it counted accesses,
    "bkacc", as dh_view requires them);
  * program points are matched by the allocation stack's frames in the
    program's own source (file:line, innermost first) and, per stack, the
    total blocks and bytes (tbk, tb), the blocks and bytes at the global
    peak (gbk, gb) and at the end (ebk, eb) must be equal.
Program points whose stacks never enter the program's source (the C
library's own buffers) are listed apart, not compared. Instruction counts
(tl, te, tg) are a different machine's and are not compared.
Prints the agreement table; exits 1 on any disagreement, 77 when valgrind or
an i386 C library is missing.

usage: dhat_oracle.py WASMSCOPE WORK_DIR PROGRAM.c[:ARGS] ...
"""
import json
import os
import re
import shutil
import subprocess
import sys

COMPARED = [("tbk", "tb"), ("gbk", "gb"), ("ebk", "eb")]
# The allocator's own frames, innermost in a stack: Valgrind's replacements
# and wasi-libc's dlmalloc (its entry points and the inlined dl* bodies).
ALLOCATORS = {"malloc", "calloc", "realloc", "free", "dlmalloc", "dlcalloc", "dlrealloc",
              "internal_malloc", "aligned_alloc", "memalign", "posix_memalign"}
FRAME = re.compile(r"^0x[0-9A-Fa-f]+: (.*) \((.*)\)$")


def run(cmd, **kw):
    return subprocess.run(cmd, check=False, capture_output=True, text=True, **kw)


def by_source_lines(dhat, base):
    """Program points merged by their frames in `base`, innermost first. A
    point whose allocator was called by the C library (glibc's stdout
    buffer, allocated inside printf) gets the empty key: not the program's."""
    merged = {}
    for pp in dhat["pps"]:
        lines = []
        library = False
        for f in pp["fs"]:
            m = FRAME.match(dhat["ftbl"][f])
            if not m:
                continue
            function, where = m.group(1), m.group(2)
            file, _, line = where.rpartition(":")
            if os.path.basename(file) == base and line.isdigit():
                lines.append(int(line))
            elif not lines and function not in ALLOCATORS:
                library = True
        key = () if library else tuple(lines)
        acc = merged.setdefault(key, {k: 0 for pair in COMPARED for k in pair})
        for pair in COMPARED:
            for k in pair:
                acc[k] += pp[k]
    return merged


def check_fields(native, wasm, name):
    """Every field Valgrind's file has is in ours; returns the problems."""
    problems = []
    for k in native:
        if k not in wasm:
            problems.append(f"{name}: top-level field '{k}' missing")
    if wasm.get("dhatFileVersion") != 2 or wasm.get("mode") != "heap" or wasm.get("tu") != "instrs":
        problems.append(f"{name}: expected dhatFileVersion 2, mode heap, tu instrs")
    if wasm.get("ftbl", [None])[0] != "[root]":
        problems.append(f"{name}: ftbl[0] must be \"[root]\"")
    pp_fields = set()
    for pp in native["pps"]:
        pp_fields |= set(pp) - {"acc"}  # acc only for equal-sized blocks
    if not wasm.get("bkacc"):
        pp_fields -= {"rb", "wb"}
    for i, pp in enumerate(wasm["pps"]):
        missing = pp_fields - set(pp)
        if missing:
            problems.append(f"{name}: pps[{i}] lacks {sorted(missing)}")
            break
        if any(f >= len(wasm["ftbl"]) for f in pp["fs"]):
            problems.append(f"{name}: pps[{i}].fs indexes past ftbl")
            break
    return problems


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    wasmscope, work = sys.argv[1], sys.argv[2]
    if not shutil.which("valgrind") or not shutil.which("clang-19"):
        print("valgrind or clang-19 missing: skipping")
        sys.exit(77)
    os.makedirs(work, exist_ok=True)
    disagreements, compared = 0, 0
    problems = []
    for spec in sys.argv[3:]:
        source, _, argtext = spec.partition(":")
        args = argtext.split() if argtext else []
        base = os.path.basename(source)
        exe = os.path.join(work, base + ".i386")
        r = run(["clang-19", "-m32", "-O0", "-gdwarf-4", source, "-o", exe])
        if r.returncode != 0:
            print(f"no i386 build of {base} (libc6-dev-i386 missing?): skipping\n{r.stderr}")
            sys.exit(77)
        native_file = exe + ".dhat"
        r = run(["valgrind", "--tool=dhat", f"--dhat-out-file={native_file}", exe] + args)
        if not os.path.exists(native_file):
            sys.exit(f"valgrind --tool=dhat on {exe} failed:\n{r.stderr}")
        wasm = os.path.join(work, base + ".wasm")
        r = run(["clang-19", "--target=wasm32-wasi", "-g", "-O0", source, "-o", wasm])
        if r.returncode != 0:
            sys.exit(f"wasm build of {source} failed:\n{r.stderr}")
        wasm_file = os.path.join(work, "dhat.out." + base)
        r = run([wasmscope, "profile", "--memory-only", "--format", "dhat",
                 "-o", wasm_file, wasm] + args)
        if r.returncode != 0 or not os.path.exists(wasm_file):
            sys.exit(f"wasmscope profile --format dhat failed (exit {r.returncode}):\n{r.stderr}")
        native_json = json.load(open(native_file))
        wasm_json = json.load(open(wasm_file))
        problems += check_fields(native_json, wasm_json, base)
        native = by_source_lines(native_json, base)
        ours = by_source_lines(wasm_json, base)
        print(f"\n{base} {' '.join(args)}")
        print(f"  {'stack (lines in ' + base + ')':<30} {'valgrind dhat':>34} {'wasmscope':>34}  verdict")
        cell = lambda r: "-" if r is None else " ".join(
            f"{r[k]}/{r[b]}" for k, b in COMPARED)
        for key in sorted(set(native) | set(ours)):
            n, w = native.get(key), ours.get(key)
            where = " < ".join(str(l) for l in key) or "(outside the program)"
            if not key:
                verdict = "not compared (C library internals)"
            elif n is None or w is None:
                verdict = "DISAGREE (missing)"
                disagreements += 1
            else:
                bad = [k for pair in COMPARED for k in pair if n[k] != w[k]]
                if bad:
                    verdict = "DISAGREE (" + ", ".join(bad) + ")"
                    disagreements += 1
                else:
                    verdict = "agree"
                    compared += 1
            print(f"  {where:<30} {cell(n):>34} {cell(w):>34}  {verdict}")
    print("\n  (cells: total blocks/bytes, at the global peak, at the end)")
    for p in problems:
        print("FORMAT: " + p)
    print(f"\ndhat oracle: {compared} program points agree, {disagreements} disagree, "
          f"{len(problems)} format problems")
    sys.exit(1 if disagreements or problems else 0)


if __name__ == "__main__":
    main()
