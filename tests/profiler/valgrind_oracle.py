#!/usr/bin/env python3
"""Valgrind's memcheck as the oracle of the leak check.

For each C or C++ program given, builds it natively with clang at -O0 (C++
against libc++, as the wasm build) (DWARF 4:
Valgrind 3.19 cannot read clang-19's DWARF 5) and runs it under
`valgrind --leak-check=full --show-leak-kinds=all --xml=yes`; builds the same
source for wasm32-wasi and runs it under `wasmscope profile --memory-only`.
Loss records are matched by leak class and the allocation stack's frames in
the program's own source file (file:line, innermost first): memcheck and
wasmscope must agree on every record's class and block count, and on its
bytes when its blocks hold no pointers (a pointer is 8 bytes natively, 4 in
wasm32; a line counts as allocating pointers when any block it allocated
was seen holding one, or was kept by a heuristic: new[]'s size_t cookie, a
vtable pointer) and whose size the program chose (the allocator's
caller is in its source: a C++ library's capacities depend on the target). Records whose stacks never enter the program's source (the C
library's own start-up allocations) are listed apart, not compared.
Prints the agreement table; exits 1 on any disagreement, 77 when valgrind or
a native compiler is missing.

usage: valgrind_oracle.py WASMSCOPE WORK_DIR PROGRAM.c[:ARGS] ...
"""
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

KINDS = {
    "Leak_DefinitelyLost": "definite",
    "Leak_IndirectlyLost": "indirect",
    "Leak_PossiblyLost": "possible",
    "Leak_StillReachable": "reachable",
}


def run(cmd, **kw):
    return subprocess.run(cmd, check=False, capture_output=True, text=True, **kw)


def is_cxx(source):
    return source.endswith((".cpp", ".cc", ".cxx"))


def native_records(source, args, work):
    exe = os.path.join(work, os.path.basename(source) + ".native")
    # C++ natively with libc++ too, so containers allocate as in the wasm build.
    compiler = ["clang++-19", "-stdlib=libc++"] if is_cxx(source) else ["clang-19"]
    r = run(compiler + ["-O0", "-gdwarf-4", source, "-o", exe])
    if r.returncode != 0:
        sys.exit(f"native build of {source} failed:\n{r.stderr}")
    xml = exe + ".xml"
    r = run(["valgrind", "--leak-check=full", "--show-leak-kinds=all", "--xml=yes",
             f"--xml-file={xml}", exe] + args)
    root = ET.parse(xml).getroot()
    base = os.path.basename(source)
    out = []
    for err in root.findall("error"):
        kind = KINDS.get(err.findtext("kind"))
        if not kind:
            continue
        what = err.find("xwhat")
        text = what.findtext("text")
        total = int(what.findtext("leakedbytes"))
        direct = total
        if "direct," in text:  # "T (D direct, I indirect) bytes in ..."
            direct = int(text.split("(")[1].split(" direct")[0].replace(",", ""))
        frames = []
        for f in err.find("stack").findall("frame"):
            if os.path.basename(f.findtext("file") or "") == base and f.findtext("line"):
                frames.append(int(f.findtext("line")))
        out.append({"kind": kind, "frames": tuple(frames), "blocks": int(what.findtext("leakedblocks")),
                    "bytes": direct})
    return out


def wasm_records(wasmscope, source, args, work):
    wasm = os.path.join(work, os.path.basename(source) + ".wasm")
    compiler = ["clang++-19", "-fno-exceptions"] if is_cxx(source) else ["clang-19"]
    r = run(compiler + ["--target=wasm32-wasi", "-g", "-O0", source, "-o", wasm])
    if r.returncode != 0:
        sys.exit(f"wasm build of {source} failed:\n{r.stderr}")
    profile = wasm + ".profile.json"
    r = run([wasmscope, "profile", "--memory-only", "-o", profile, wasm] + args)
    if not os.path.exists(profile):
        sys.exit(f"wasmscope profile failed (exit {r.returncode}):\n{r.stderr}")
    p = json.load(open(profile))
    m = p["memory"]
    files = p["files"]
    base = os.path.basename(source)
    leak = m["leakCheck"]
    # Blocks holding a pointer into the heap, by index in leakCheck.blocks.
    pointing = {ref[2] for ref in leak["references"] if ref[1] == 0 and ref[2] is not None}
    exact_refs = leak["referencesDropped"] == 0
    out = []
    for rec in leak["lossRecords"]:
        if rec["suppressedBy"]:
            continue
        frames = []
        node = rec["stack"]
        path = []
        while node not in (0, None):
            path.append(m["stacks"][node])
            node = m["stacks"][node][0]
        caller_file = None  # Of the allocator's caller: who chose the size.
        for depth, (parent, frame, line, address) in enumerate(path):  # innermost first
            if line is None:
                continue
            chain = p["lines"][line]["chain"]
            if depth == 1 and chain and chain[0][1] is not None:
                caller_file = os.path.basename(files[chain[0][1]])
            for fr, file, ln in chain:
                if file is not None and os.path.basename(files[file]) == base and ln:
                    frames.append(ln)
        holds = any(i in pointing for i in rec["members"])
        # A block kept by a heuristic has a target-sized layout: new[]'s
        # cookie is a size_t, a multiple-inheritance object holds vtable
        # pointers (blocks[i][2]: the heuristic, 0 none).
        laid_out = any(leak["blocks"][i][2] != 0 for i in rec["members"])
        out.append({"kind": rec["kind"], "frames": tuple(frames), "blocks": rec["blocks"],
                    "bytes": rec["bytes"], "holds": holds or laid_out,
                    "sizedHere": caller_file == base and not laid_out})
    # A block whose pointers are all null looks pointer-free to the scan; its
    # type is known from its allocating line: if any block from that line
    # holds a pointer, the line allocates a struct with pointers.
    pointer_lines = {r["frames"][0] for r in out if r["holds"] and r["frames"]}
    for r in out:
        r["pointerFree"] = (exact_refs and not r["holds"] and
                            not (r["frames"] and r["frames"][0] in pointer_lines))
        # A size the C++ library chose (a string's capacity, a vector's
        # growth) depends on the target's layout like a pointer does.
        r["compareBytes"] = r["pointerFree"] and r["sizedHere"]
    return out


def merge(records):
    """Records by (kind, frames): Valgrind and wasmscope both group by the
    whole stack, whose frames outside the program (the allocator, libc's
    start code) differ between the two builds."""
    merged = {}
    for r in records:
        key = (r["kind"], r["frames"])
        m = merged.setdefault(key, {"blocks": 0, "bytes": 0, "compareBytes": True})
        m["blocks"] += r["blocks"]
        m["bytes"] += r["bytes"]
        m["compareBytes"] = m["compareBytes"] and r.get("compareBytes", True)
    return merged


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    wasmscope, work = sys.argv[1], sys.argv[2]
    if not shutil.which("valgrind") or not shutil.which("clang-19"):
        print("valgrind or clang-19 missing: skipping")
        sys.exit(77)
    os.makedirs(work, exist_ok=True)
    disagreements = 0
    compared = 0
    for spec in sys.argv[3:]:
        source, _, argtext = spec.partition(":")
        args = argtext.split() if argtext else []
        native = merge(native_records(source, args, work))
        wasm = merge(wasm_records(wasmscope, source, args, work))
        name = os.path.basename(source)
        print(f"\n{name} {' '.join(args)}")
        print(f"  {'class':<10} {'stack (lines in ' + name + ')':<34} {'valgrind':>16} {'wasmscope':>16}  verdict")
        for key in sorted(set(native) | set(wasm), key=lambda k: (k[0], k[1])):
            kind, frames = key
            n, w = native.get(key), wasm.get(key)
            where = " < ".join(str(f) for f in frames) or "(outside the program)"
            cell = lambda r: "-" if r is None else f"{r['blocks']} blk {r['bytes']} B"
            if not frames:
                verdict = "not compared (C library internals)"
            elif n is None or w is None:
                verdict = "DISAGREE (missing)"
                disagreements += 1
            elif n["blocks"] != w["blocks"]:
                verdict = "DISAGREE (blocks)"
                disagreements += 1
            elif w["compareBytes"] and n["bytes"] != w["bytes"]:
                verdict = "DISAGREE (bytes)"
                disagreements += 1
            else:
                verdict = "agree" + ("" if w["compareBytes"] else
                                     " (bytes not compared: pointers or a library-chosen size)")
                compared += 1
            print(f"  {kind:<10} {where:<34} {cell(n):>16} {cell(w):>16}  {verdict}")
    print(f"\nvalgrind oracle: {compared} loss records agree, {disagreements} disagree")
    sys.exit(1 if disagreements else 0)


if __name__ == "__main__":
    main()
