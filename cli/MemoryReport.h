// Text reports of a profile's memory section, shared by `wasmscope report`
// (--leaks, --peak, --sites) and the summary `wasmscope profile --memory`
// prints: memcheck's HEAP SUMMARY and LEAK SUMMARY lines, loss records with
// their source stacks, the live set at the peak by site, allocation sites,
// and allocator misuse.
#pragma once

#include "wasmscope/profiler/Profile.h"

#include <cstddef>
#include <ostream>

namespace wasmscope::cli {

/// "in use at exit" and "total heap usage", as memcheck's HEAP SUMMARY.
void printHeapSummary(std::ostream &out, const profiler::Profile &profile);
/// memcheck's LEAK SUMMARY lines (definitely lost: B bytes in N blocks, ...).
void printLeakSummary(std::ostream &out, const profiler::Profile &profile);
/// Loss records, largest first, each with its allocation stack; still
/// reachable ones only with `reachable`. At most `top` records.
void printLossRecords(std::ostream &out, const profiler::Profile &profile, size_t top,
                      bool reachable);
/// The live set at the exact peak, by allocation site.
void printPeak(std::ostream &out, const profiler::Profile &profile, size_t top);
/// Allocation sites by bytes allocated, with counts, lifetimes and what
/// was left at the end.
void printSites(std::ostream &out, const profiler::Profile &profile, size_t top);
/// Double frees, invalid frees and reallocs of freed memory, with stacks.
void printHeapErrors(std::ostream &out, const profiler::Profile &profile, size_t top);
/// memory.grow events with the stack that grew memory.
void printGrows(std::ostream &out, const profiler::Profile &profile, size_t top);

} // namespace wasmscope::cli
