"""LLDB's answers for the symbols oracle (LldbOracle.cpp), through liblldb's
Python SB API (python3-lldb-22): where `breakpoint set -f FILE -l LINE`
puts its locations, and what an address resolves to (function, innermost
inlined function, file:line:column, and each inlined call site with its
caller), for every request of a module.

  lldb_answers.py MODULE REQUESTS OUT

REQUESTS has one request a line: "B FILE LINE" or "L ADDRESS" (hex). OUT
gets JSON: {"breakpoints": [[address, ...] per B request, in order],
"lookups": {"ADDRESS": {...} per L request}}. Addresses are file addresses,
which for wasm are code offsets (LldbOracle.cpp explains why).
"""

import json
import os
import sys

sys.path.insert(0, os.environ.get("LLDB_PYTHON_PATH", "/usr/lib/llvm-22/lib/python3.11/site-packages"))
import lldb  # noqa: E402


def location(file_spec, line, column):
    """"file.c:12:3" / "file.c:12" / "" as the oracle compares them."""
    name = file_spec.GetFilename() if file_spec and file_spec.IsValid() else None
    if not name or not line:
        return name or ""
    return "%s:%d:%d" % (name, line, column) if column else "%s:%d" % (name, line)


def lookup(target, address):
    resolved = target.ResolveFileAddress(address)
    sc = resolved.GetSymbolContext(lldb.eSymbolContextEverything)
    function = sc.GetFunction()
    if not function.IsValid():
        return {"found": False}
    entry = sc.GetLineEntry()
    out = {
        "found": True,
        "function": function.GetName() or "",
        "location": location(entry.GetFileSpec(), entry.GetLine(), entry.GetColumn())
        if entry.IsValid() else "",
        "inlined": "",
        "callers": [],
    }
    block = sc.GetBlock().GetContainingInlinedBlock() if sc.GetBlock().IsValid() else lldb.SBBlock()
    if block.IsValid():
        out["inlined"] = block.GetInlinedName() or ""
    while block.IsValid():
        parent = block.GetParent()
        outer = parent.GetContainingInlinedBlock() if parent.IsValid() else lldb.SBBlock()
        caller = (outer.GetInlinedName() if outer.IsValid() else function.GetName()) or ""
        site = location(block.GetInlinedCallSiteFile(), block.GetInlinedCallSiteLine(),
                        block.GetInlinedCallSiteColumn())
        out["callers"].append([caller, site])
        block = outer
    return out


def main():
    module, requests, out_path = sys.argv[1:4]
    lldb.SBDebugger.Initialize()
    debugger = lldb.SBDebugger.Create(False)
    error = lldb.SBError()
    target = debugger.CreateTarget(module, None, None, False, error)
    if not target.IsValid():
        sys.exit("cannot create a target for %s: %s" % (module, error.GetCString()))
    breakpoints, lookups = [], {}
    with open(requests) as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            if parts[0] == "B":
                bp = target.BreakpointCreateByLocation(parts[1], int(parts[2]))
                addresses = sorted({bp.GetLocationAtIndex(i).GetAddress().GetFileAddress()
                                    for i in range(bp.GetNumLocations())})
                breakpoints.append(addresses)
                target.BreakpointDelete(bp.GetID())
            elif parts[0] == "L":
                address = int(parts[1], 16)
                lookups["%x" % address] = lookup(target, address)
    with open(out_path, "w") as f:
        json.dump({"lldb": lldb.SBDebugger.GetVersionString(), "breakpoints": breakpoints,
                   "lookups": lookups}, f)
    lldb.SBDebugger.Destroy(debugger)


if __name__ == "__main__":
    main()
