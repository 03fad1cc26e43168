// The memory map's model: every byte of linear memory classified as
// unused, freed, data/bss, stack, live, possibly lost or leaked, at the end
// of the run (with the leak check's classes) or at a scrubbed instruction
// (the live set replayed from the heap log). Kept as sorted, disjoint
// ranges plus a summary per 4 KiB granule (bytes of each kind), so that a
// 1 GiB memory with a million blocks draws from the summary when zoomed
// out and from a binary search of the ranges when zoomed in. No GUI
// dependency.
#pragma once

#include "Palette.h"

#include "wasmscope/profiler/MemoryLayout.h"
#include "wasmscope/profiler/Profile.h"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace wasmscope::gui {

/// A run of bytes of one kind.
struct MemoryRange {
  uint64_t begin = 0;
  uint64_t end = 0; ///< Exclusive.
  MemoryKind kind = MemoryKind::Unused;
  uint32_t block = UINT32_MAX; ///< Index into MemoryMap::blocks() for heap kinds.
};

/// A heap block as the map shows it.
struct MapBlock {
  profiler::HeapBlock block;
  MemoryKind kind = MemoryKind::Live;
  uint32_t checked = UINT32_MAX; ///< Index into MemoryProfile::checked, if from the leak check.
};

class MemoryMap {
public:
  /// A wasm page: linear memory's size is a multiple of it.
  static constexpr uint64_t kPageBytes = 65536;
  /// The largest wasm32 memory (65536 pages).
  static constexpr uint64_t kMaxMemoryBytes = uint64_t(1) << 32;
  /// Bytes a granule of the summary covers: fine enough that a whole 1 GiB
  /// memory drawn in ~50,000 cells reads the summary, not the ranges.
  static constexpr uint64_t kGranuleBytes = 4096;

  /// Builds the map of `profile`'s memory. `layout` places data, bss and
  /// the stack (none for a profile whose module is gone); `time` replays the
  /// live set at that instruction (none: the end of the run, with the leak
  /// check's classes when it ran). `memoryBytes` is the size of linear memory
  /// (0: from the module's pages and the memory.grow events).
  void build(const profiler::Profile& profile, const std::optional<profiler::MemoryLayout>& layout,
             std::optional<uint64_t> time = std::nullopt, uint64_t memoryBytes = 0,
             uint64_t initialPages = 0);
  /// Builds from blocks directly (benchmarks, tests): `blocks` by address,
  /// disjoint; `freed` ranges may overlap.
  void build(std::vector<MapBlock> blocks, std::vector<std::pair<uint64_t, uint64_t>> freed,
             const std::optional<profiler::MemoryLayout>& layout, uint64_t memoryBytes);

  bool empty() const { return m_size == 0; }
  uint64_t size() const { return m_size; }
  /// The instruction the map shows (none: the end of the run).
  std::optional<uint64_t> time() const { return m_time; }
  /// Whether leaked and possibly lost are known (the end, leak-checked).
  bool leakChecked() const { return m_leakChecked; }

  const std::vector<MemoryRange>& ranges() const { return m_ranges; }
  const std::vector<MapBlock>& blocks() const { return m_blocks; }
  /// Bytes of each kind in granule `granule` (kGranuleBytes each).
  const std::array<uint32_t, kMemoryKindCount>& granule(size_t granule) const {
    return m_granules[granule];
  }
  size_t granuleCount() const { return m_granules.size(); }
  /// The highest-precedence kind present in a granule.
  MemoryKind granuleKind(size_t granule) const { return m_granuleKind[granule]; }
  /// Bytes of each kind in the whole memory.
  const std::array<uint64_t, kMemoryKindCount>& totals() const { return m_totals; }

  /// The kind of the byte at `address` (Unused past the end).
  MemoryKind kindAt(uint64_t address) const;
  /// The block containing `address` (binary search), if any.
  std::optional<uint32_t> blockAt(uint64_t address) const;
  /// The first block that overlaps [begin, end), preferring the most
  /// important kind (a leaked block over a live one): what a hover over a
  /// cell that covers many bytes shows.
  std::optional<uint32_t> blockIn(uint64_t begin, uint64_t end) const;

  /// The kinds of `out.size()` consecutive cells of `bytesPerCell` bytes from
  /// `begin` (each the highest-precedence kind present in it): what the map
  /// draws. From the summary when cells hold whole granules, else from
  /// the ranges; O(cells + ranges in view).
  void cells(uint64_t begin, uint64_t bytesPerCell, std::span<MemoryKind> out) const;

private:
  void finish(const std::optional<profiler::MemoryLayout>& layout,
              std::vector<std::pair<uint64_t, uint64_t>> freed);

  uint64_t m_size = 0;
  std::optional<uint64_t> m_time;
  bool m_leakChecked = false;
  std::vector<MapBlock> m_blocks;
  std::vector<MemoryRange> m_ranges; ///< Disjoint, by address, covering [0, size).
  std::vector<std::array<uint32_t, kMemoryKindCount>> m_granules;
  std::vector<MemoryKind> m_granuleKind;
  std::array<uint64_t, kMemoryKindCount> m_totals{};
};

/// The map's kind for a leak-check class.
MemoryKind memoryKindOf(profiler::LeakKind kind);

} // namespace wasmscope::gui
