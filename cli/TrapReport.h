// How a command-line run reports a trap: the reason, then the wasm call
// stack with source lines where DWARF exists, folded where it repeats.
#pragma once

#include "wasmscope/runtime/Result.h"
#include "wasmscope/runtime/Store.h"
#include "wasmscope/symbols/SourcePaths.h"

namespace wasmscope::cli {

/// Prints "wasmscope: error: trap: REASON" and the backtrace the store kept
/// (innermost first) on stderr. Offsets are code-section relative, the
/// address space DWARF and `wasm-objdump -d` use. Source paths go through
/// `sourceMap`.
void reportTrap(const runtime::Error& error, const runtime::Store& store,
                const debugger::SourceMap& sourceMap = {});

} // namespace wasmscope::cli
