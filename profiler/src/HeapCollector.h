// What the heap profiler keeps while the guest runs: the intercepted
// functions and the allocator calls in progress, the interned call-site
// tree of allocation stacks, the live set, per-site accumulators, the
// bounded event log with the peak, memory.grow events and misuse. Probe hooks
// run only on the intercepted functions' entries and returns.
#pragma once

#include "wasmscope/profiler/HeapProfiler.h"
#include "wasmscope/runtime/Store.h"

#include <span>
#include <unordered_map>
#include <vector>

namespace wasmscope::profiler {

class Symbolizer;
struct ScanRoots;

/// The intercepted functions of a module, by what each does (AllocatorSet.cpp).
std::vector<InterceptedFunction> findAllocators(const runtime::Module &module,
                                                const std::vector<AllocatorName> &extra,
                                                std::vector<std::string> &notFound);

/// (parent, function, offset) -> node of the call-site tree, open addressing.
class SiteMap {
public:
  SiteMap();
  uint32_t find(uint32_t parent, uint32_t func, uint32_t offset) const {
    Key k{parent, func, offset};
    for (size_t i = slot(k);; i = (i + 1) & m_mask) {
      if (m_keys[i] == k)
        return m_values[i];
      if (m_values[i] == UINT32_MAX)
        return UINT32_MAX;
    }
  }
  void insert(uint32_t parent, uint32_t func, uint32_t offset, uint32_t node);
  size_t bytes() const { return m_keys.capacity() * (sizeof(Key) + sizeof(uint32_t)); }

private:
  struct Key {
    uint32_t parent = 0, func = 0, offset = 0;
    bool operator==(const Key &) const = default;
  };
  size_t slot(const Key &k) const {
    uint64_t h = (uint64_t(k.parent) * 0x9E3779B97F4A7C15ull) ^
                 (uint64_t(k.func) << 32 | k.offset) * 0xC2B2AE3D27D4EB4Full;
    return size_t(h >> m_shift);
  }
  void grow();
  std::vector<Key> m_keys;
  std::vector<uint32_t> m_values; ///< UINT32_MAX: empty slot.
  size_t m_mask = 0;
  unsigned m_shift = 0;
  size_t m_size = 0;
};

struct HeapProfiler::State {
  State(runtime::Guest &guest, HeapProfilerOptions options);

  // --- Hooks (HeapCollector.cpp). ---
  void onEntry(runtime::ProbeContext &ctx, size_t fn);
  void onReturn(runtime::ProbeContext &ctx, size_t fn);
  void onGrow(runtime::ProbeContext &ctx);
  void onExitBegins();
  /// Removes every probe; what was collected stays.
  void detach();
  /// Runs the leak check on the guest's current memory with `frames` (the
  /// live wasm frames, innermost first) as roots, into `out`'s checked
  /// blocks, references and roots (MemoryBuilder.cpp).
  void leakCheck(MemoryProfile &out, std::span<const runtime::FrameInfo> frames);
  /// The live blocks by address.
  std::vector<HeapBlock> liveBlocks() const;
  /// The leak check's roots: data and bss, the shadow stack, the i32
  /// globals and the locals of `frames` (MemoryBuilder.cpp).
  struct ScanRoots roots(RootSummary &summary, std::span<const runtime::FrameInfo> frames) const;
  /// Adds the memory profile to `profile`, symbolicated with `symbolizer`
  /// (MemoryBuilder.cpp). At the end of the run (`liveFrames` null) it runs
  /// the leak check (unless turned off) against the guest's final state and
  /// detaches; mid-run it runs the leak check with `liveFrames` as roots and
  /// stays attached.
  Result<void> build(Profile &profile, Symbolizer &symbolizer,
                     std::span<const runtime::FrameInfo> const *liveFrames = nullptr);

  /// The call-site node for the current wasm frames (innermost first; the
  /// first frame is the allocator, at its entry).
  uint32_t internStack(std::span<const runtime::FrameInfo> frames);
  uint64_t now() const { return guest.store().fuelConsumed(); }
  /// Resolves a pending memory.grow's outcome from the memory's size.
  void settleGrow();

  // --- Events. ---
  /// `origin`: for a block a realloc made, the stack of the allocation it
  /// continues (HeapBlock::origin); UINT32_MAX otherwise.
  void allocated(uint32_t address, uint32_t size, uint32_t stack, uint64_t time,
                 uint32_t origin = UINT32_MAX);
  void freed(uint32_t address, uint32_t stack, uint64_t time, AllocFunction function,
             HeapErrorKind misuse);
  void logEvent(const HeapEvent &event);
  void foldOldestEvents();
  size_t hostBytes() const;

  struct Live {
    uint32_t size;
    uint32_t stack;
    uint64_t time;
    uint64_t serial;
    uint32_t origin; ///< UINT32_MAX: `stack`.
    uint32_t originStack() const { return origin == UINT32_MAX ? stack : origin; }
  };
  struct FreedBlock {
    uint32_t allocStack;
    uint32_t freeStack;
  };
  struct Site {
    uint64_t allocations = 0, bytes = 0, frees = 0, freedBytes = 0;
    uint64_t lifetime = 0, temporary = 0, freedAtExit = 0;
    uint64_t liveBytes = 0, liveBlocks = 0, maxLiveBytes = 0, maxLiveBlocks = 0;
    // As DHAT counts: reallocs charged to the resized block's first site.
    uint64_t dhatBlocks = 0, dhatBytes = 0, dhatLifetime = 0;
    uint64_t dhatLiveBytes = 0, dhatLiveBlocks = 0, dhatMaxBytes = 0, dhatMaxBlocks = 0;
  };
  struct Active {
    uint32_t depth;
    size_t fn;
    uint32_t stack;
    uint64_t entryTime;
    uint32_t args[4];
  };
  struct RawNode {
    uint32_t parent;
    uint32_t func;
    uint32_t offset;
  };

  runtime::Guest &guest;
  HeapProfilerOptions options;
  runtime::Instance *instance = nullptr;
  runtime::MemoryInstance *memory = nullptr;
  std::vector<InterceptedFunction> intercepted;
  std::vector<uint64_t> entryCost; ///< Per intercepted function: its first block's instructions.
  std::vector<runtime::ProbeId> probes;
  bool attached = true;

  std::vector<Active> active;
  std::vector<RawNode> nodes; ///< nodes[0] is the root.
  SiteMap siteMap;
  std::vector<runtime::FrameInfo> framesScratch;

  std::unordered_map<uint32_t, Live> live;
  std::unordered_map<uint32_t, FreedBlock> freedBlocks; ///< Until the address is reused.
  std::unordered_map<uint32_t, Site> sites;             ///< By stack node.
  uint64_t liveBytes = 0;
  uint64_t serial = 0;
  uint64_t allocations = 0, frees = 0, allocatedBytes = 0, reallocs = 0;
  std::optional<uint64_t> exitTime;

  // The log and the peak.
  std::vector<HeapEvent> events;
  uint64_t eventsRecorded = 0;
  uint64_t eventsFolded = 0;
  std::unordered_map<uint32_t, HeapBlock> base; ///< The live set before events[0].
  uint64_t baseTime = 0;
  uint64_t foldedSerial = 0; ///< Allocations folded into `base` so far.
  uint64_t peakBytes = 0, peakBlocks = 0, peakTime = 0;
  uint64_t peakEvent = UINT64_MAX; ///< Sequence number of the event that reached the peak.
  std::vector<HeapBlock> peakSnapshot; ///< Taken when the peak event was folded.
  uint64_t peakSnapshotEvent = UINT64_MAX;
  /// The last event that brought live bytes up to the peak again (DHAT's
  /// t-gmax), its time, and its live set when it was folded.
  uint64_t lastPeakEvent = UINT64_MAX, lastPeakTime = 0;
  std::vector<HeapBlock> lastPeakSnapshot;
  uint64_t lastPeakSnapshotEvent = UINT64_MAX;

  std::vector<GrowEvent> grows;
  bool growPending = false;
  std::vector<HeapError> errors;
  uint64_t scanNanos = 0; ///< Host time the last leak check took.
};

} // namespace wasmscope::profiler
