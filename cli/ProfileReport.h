// Text tables of a profile, shared by `wasmscope report` and the summary
// `wasmscope profile` prints when it is done: top functions (self and
// total), top source lines, and the call tree down to a depth.
#pragma once

#include "wasmscope/profiler/Profile.h"

#include <cstdint>
#include <ostream>
#include <string>

namespace wasmscope::cli {

/// 1234567 -> "1,234,567".
std::string groupDigits(uint64_t n);

/// The run, its totals and how it ended, in a few lines.
void printProfileHeader(std::ostream &out, const profiler::Profile &profile);
/// The `top` functions by self instructions, with totals, calls and file:line.
void printTopFunctions(std::ostream &out, const profiler::Profile &profile, size_t top);
/// The `top` source lines by instructions.
void printTopLines(std::ostream &out, const profiler::Profile &profile, size_t top);
/// The call tree by inclusive instructions, `depth` levels deep, at most
/// `top` children per node.
void printCallTree(std::ostream &out, const profiler::Profile &profile, size_t depth, size_t top);
/// Host calls (WASI) with counts and, when measured, wall time.
void printHostCalls(std::ostream &out, const profiler::Profile &profile, size_t top);

} // namespace wasmscope::cli
