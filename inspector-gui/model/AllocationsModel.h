// The allocations view's model: heap blocks grouped by allocation site
// and class, as memcheck's loss records group them after the leak check
// (definitely, indirectly, possibly lost, still reachable), or as the live
// set by site at a scrubbed instruction or when no leak check ran. Rows
// sort by any column and filter by a site substring; a selected row lists
// its blocks, and a selected block its source stack and the pointers the
// leak check's scan found to it ("which blocks point at this one").
#pragma once

#include "AllocStack.h"

#include "wasmscope/profiler/Profile.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wasmscope::gui {

/// A row's class: a leak kind, or Live (no leak check for these blocks).
enum class AllocClass : uint8_t { Definite, Indirect, Possible, Reachable, Live };
const char* allocClassName(AllocClass cls); ///< "definitely lost", ..., "live"

enum class AllocColumn : uint8_t { Class, Bytes, Blocks, Site };

/// One block of a row.
struct AllocBlockRef {
  profiler::HeapBlock block;
  uint32_t checked = UINT32_MAX; ///< Index into MemoryProfile::checked, when checked.
};

/// Blocks of one class from one allocation stack.
struct AllocationRow {
  AllocClass cls = AllocClass::Live;
  profiler::AllocStackId stack = 0;
  uint64_t blocks = 0;
  uint64_t bytes = 0;         ///< Direct bytes.
  uint64_t indirectBytes = 0; ///< Definitely lost: bytes lost through these.
  uint32_t lossRecord = UINT32_MAX; ///< Index into MemoryProfile::lossRecords.
  /// The suppression that hides this loss record from reports ("" if none).
  std::string suppressedBy;
  std::vector<AllocBlockRef> members; ///< By address.
  std::string site;   ///< allocSiteLabel of the stack.
  std::string search; ///< Every frame's text, lower case (for the filter).
};

/// A pointer to the selected block, for the points-at list.
struct PointerLine {
  std::string from;          ///< "block 0x1234 (response_new ...)", "static data", "global 3", ...
  uint32_t location = 0;     ///< Where the pointer is stored (memory address, or slot).
  uint32_t value = 0;        ///< The pointer.
  bool interior = false;     ///< Points inside the block, not at its start.
  std::optional<uint32_t> fromBlock; ///< Index into checked, for a block source.
};

class AllocationsModel {
public:
  /// Rows at the end of the run (the loss records, when the leak check
  /// ran; else the live set by site), or of the live set at `time`.
  /// Suppressed loss records are kept (flagged, counted in suppressed()):
  /// their blocks are still lost in memory, and the map shows them.
  void build(const profiler::Profile& profile, std::optional<uint64_t> time = std::nullopt);

  bool empty() const { return m_rows.empty(); }
  bool leakChecked() const { return m_leakChecked; }
  std::optional<uint64_t> time() const { return m_time; }
  uint64_t suppressed() const { return m_suppressed; }
  const std::vector<AllocationRow>& rows() const { return m_rows; }

  /// Row indices sorted by `column` (ties by bytes, then site) and kept when
  /// their stack contains `filter` (case-insensitive; "" keeps all).
  std::vector<size_t> order(AllocColumn column, bool descending, const std::string& filter) const;

  /// The row (and the index of the block in it) holding the block at `address`.
  std::optional<std::pair<size_t, size_t>> find(uint64_t address) const;

  /// The source stack of a row's allocations.
  std::vector<AllocFrame> stack(size_t row) const;
  /// Pointers the leak check found to checked block `checked`.
  std::vector<PointerLine> pointersTo(uint32_t checked) const;

private:
  const profiler::Profile* m_profile = nullptr;
  std::vector<AllocationRow> m_rows;
  bool m_leakChecked = false;
  std::optional<uint64_t> m_time;
  uint64_t m_suppressed = 0;
};

} // namespace wasmscope::gui
