// The heap profiler: intercepts the guest's allocator with local probes at
// the entry and returns of malloc, calloc, realloc, free, aligned_alloc,
// posix_memalign, memalign, C++ operator new/delete and Rust's
// __rust_alloc family (and functions the user names), keeps the live set
// with interned call stacks and a bounded event log, and at the end checks
// for leaks by an exact scan of linear memory from the roots the
// interpreter knows. Only the probed functions pay: nothing runs on other
// calls or instructions.
#pragma once

#include "wasmscope/profiler/MemoryProfile.h"
#include "wasmscope/profiler/Profile.h"
#include "wasmscope/profiler/Suppressions.h"
#include "wasmscope/runtime/Launch.h"
#include "wasmscope/runtime/Result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wasmscope::profiler {

template <typename T> using Result = runtime::Result<T>;

/// A user-named allocator: `--allocator my_alloc=malloc`.
struct AllocatorName {
  std::string name;
  AllocFunction role = AllocFunction::Malloc;
};
/// Parses "NAME=malloc|calloc|realloc|free".
Result<AllocatorName> parseAllocatorName(std::string_view text);
/// "low" (2 frames), "med" (4), "high" (0: the whole stack), or a number.
std::optional<uint32_t> parseLeakResolution(std::string_view text);

struct HeapProfilerOptions {
  /// Functions to intercept besides the standard names.
  std::vector<AllocatorName> allocators;
  /// Frames (from the allocator) that loss records are grouped by; 0: all.
  uint32_t leakResolution = 0;
  /// Blocks freed within this many instructions count as temporary.
  uint64_t temporaryWindow = 10000;
  /// Events kept in the log; older ones are folded into its base snapshot.
  uint64_t maxEvents = 1000000;
  /// Pointer references kept from the leak check's scan.
  uint64_t maxReferences = 100000;
  /// Suppressions (Valgrind's or LeakSanitizer's syntax).
  SuppressionSet suppressions;
  /// Also suppress wasi-libc's own start-up allocations (argv, environ,
  /// preopens), as Valgrind's default suppressions hide libc's.
  bool defaultSuppressions = true;
  /// Run the leak check at the end.
  bool leakCheck = true;
};

class HeapProfiler {
public:
  /// Attaches to an instantiated guest that has not started running its
  /// entry (between Guest::instantiate and the call of `_start`). Needs a
  /// module compiled with block counters (LaunchSpec::countBlocks), which
  /// time every event exactly. Fails, saying why, when the module has no
  /// function the profiler knows as an allocator.
  static Result<std::unique_ptr<HeapProfiler>> attach(runtime::Guest &guest,
                                                      HeapProfilerOptions options);
  ~HeapProfiler();
  HeapProfiler(const HeapProfiler &) = delete;
  HeapProfiler &operator=(const HeapProfiler &) = delete;

  /// The functions intercepted.
  const std::vector<InterceptedFunction> &intercepted() const;
  /// Host time the last leak check took (the scan and its classification),
  /// in nanoseconds; 0 before one ran. Kept out of the profile, which stays
  /// a pure function of the run.
  uint64_t leakCheckNanos() const;
  /// Live heap bytes and blocks now.
  uint64_t liveBytes() const;
  uint64_t liveBlocks() const;

  /// A leak check now, from the guest's current state: call it on the
  /// guest's thread while the guest is stopped in a probe or interrupt
  /// handler (its live frames are roots), or after the run. `frames` are the
  /// live wasm frames, innermost first (Store::frames() inside a hook). The
  /// result holds `checked`, `references` and `roots` (what a debugger's
  /// `leak_check` and `who_points_at` answer with); stacks are raw
  /// AllocStackIds of this profiler, resolved by the final profile.
  Result<MemoryProfile> checkNow(std::span<const runtime::FrameInfo> frames);

  /// The memory profile so far, built as the end of the run builds it
  /// (stacks resolved to functions and source lines with the module's
  /// DWARF, sites, loss records grouped and suppressed), with a leak check
  /// of the guest's current state whose roots include `frames`' locals;
  /// the profiler stays attached. Same rule as checkNow: only while the
  /// guest is stopped (or before it runs), with its live frames. A debugger
  /// answers `leak_check` and `block_list` from it.
  Result<Profile> snapshot(RunInfo run, std::span<const runtime::FrameInfo> frames);

  /// Every pointer into [begin, end) held now in the leak check's roots
  /// (data and bss, the shadow stack, i32 globals, the locals of `frames`)
  /// or in a live block: what a debugger's `who_points_at` lists. Same rule
  /// as checkNow.
  struct PointerSearch {
    /// The live blocks, by address, with raw stack ids (those of a
    /// snapshot() taken at the same stop).
    std::vector<HeapBlock> live;
    /// `target`: index into `live` of the block holding `value`, or
    /// UINT32_MAX; for RootKind::Block, `from` is an index into `live`.
    std::vector<PointerRef> pointers;
    uint64_t dropped = 0; ///< Beyond HeapProfilerOptions::maxReferences.
  };
  Result<PointerSearch> pointersInto(uint32_t begin, uint64_t end,
                                     std::span<const runtime::FrameInfo> frames);

  struct State;

private:
  friend Result<Profile> finishProfile(runtime::Guest &, RunInfo, class Profiler *,
                                       HeapProfiler *);
  friend Result<Profile> snapshotProfile(RunInfo, const class Profiler *, const HeapProfiler *);
  explicit HeapProfiler(std::unique_ptr<State> state);
  std::unique_ptr<State> m_state;
};

} // namespace wasmscope::profiler
