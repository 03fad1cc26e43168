// The metrics `wasmscope ci` keeps of one scenario run: totals (instructions,
// the guest's exit status) and per-item values (instructions per function,
// later allocations per site), keyed by names that survive a rebuild:
// function names and source paths relative to a source root, never code
// addresses. A baseline file is these metrics for every scenario; a
// comparison reads two of them. Plain data, sorted maps, so that a baseline
// written twice from the same run is the same bytes.
#pragma once

#include "wasmscope/profiler/Profile.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::ci {

/// One function or site: where it is and its values ("self_instructions").
struct ItemMetrics {
  std::string file; ///< Relative to the source root when under it; "" if unknown.
  uint32_t line = 0; ///< Declaration (functions) or call line (sites); 0 if unknown.
  std::map<std::string, uint64_t> values;
  /// Free-form context kept with the item (an allocation stack, outermost
  /// last), shown in reports; not compared.
  std::vector<std::string> stack;
};

/// The metrics of one scenario.
struct ScenarioMetrics {
  std::string module; ///< The module's file name (informative, not compared).
  std::optional<int> exitStatus; ///< The guest's exit status; empty after a trap.
  std::string trap;              ///< The trap that stopped it, if any.
  std::map<std::string, uint64_t> totals; ///< "instructions", ...
  /// Item groups: "functions" -> key -> item.
  std::map<std::string, std::map<std::string, ItemMetrics>> groups;
};

/// How to turn a profile into metrics.
struct MetricOptions {
  /// Paths under this directory are written relative to it (absolute,
  /// normalised; empty: keep paths as DWARF gives them).
  std::string sourceRoot;
  /// Functions with fewer self instructions are not kept (their cost still
  /// counts in the total).
  uint64_t functionFloor = 1000;
};

/// Group and value names, shared by the extraction, thresholds and reports.
inline constexpr const char *kFunctions = "functions";
inline constexpr const char *kSelfInstructions = "self_instructions";
inline constexpr const char *kInstructions = "instructions";
inline constexpr const char *kAllocations = "allocations";
inline constexpr const char *kAllocatedBytes = "allocated_bytes";
inline constexpr const char *kPeakBytes = "peak_bytes";
inline constexpr const char *kMemoryGrows = "memory_grows";
inline constexpr const char *kFinalMemoryBytes = "final_memory_bytes";
inline constexpr const char *kAllocSites = "alloc_sites";
inline constexpr const char *kPeakSites = "peak_sites";
inline constexpr const char *kLeakSites = "leak_sites";

/// The instruction metrics of a profile: the total and the self
/// instructions of every function at or above the floor. A function name
/// that two files define is keyed "name (file)"; otherwise by its name, so
/// that moving a function within its file keeps its key.
ScenarioMetrics metricsFromProfile(const profiler::Profile &profile, const MetricOptions &options);

/// Adds the memory metrics of `profile.memory` (when the heap was
/// profiled): totals "allocations", "allocated_bytes", "peak_bytes",
/// "memory_grows" and, after a leak check, "<class>_bytes" and
/// "<class>_blocks" for definitely_lost, indirectly_lost, possibly_lost and
/// still_reachable (suppressed records left out); groups "alloc_sites"
/// (allocations, bytes), "peak_sites" (the 10 sites holding most at the
/// peak: bytes, blocks) and "leak_sites" (per class, bytes and blocks).
/// Sites are keyed by their stack, "function file:line" frames innermost
/// first, joined by " <- ", without the allocator's own frame. Called by
/// metricsFromProfile.
void addMemoryMetrics(const profiler::Profile &profile, const MetricOptions &options,
                      ScenarioMetrics &metrics);

/// `path` relative to `root` when it lies under it (lexically, after
/// normalisation), else `path` normalised.
std::string relativeToRoot(const std::string &path, const std::string &root);

} // namespace wasmscope::ci
