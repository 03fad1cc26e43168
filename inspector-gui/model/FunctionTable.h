// The Profile view's function table: one row per function of a profile with
// its self and total instructions and calls, sortable by any column and
// filtered by a search string. The order is computed here, not in the view,
// so that what the table lists is tested without a window.
#pragma once

#include "wasmscope/profiler/Profile.h"

#include <string>
#include <string_view>
#include <vector>

namespace wasmscope::gui {

enum class ProfileColumn : uint8_t { Name, Self, Total, Calls, Location };

struct FunctionTableRow {
  profiler::FrameId frame = profiler::kNone;
  std::string name;
  std::string location; ///< "file.c:12", or "" without DWARF.
  profiler::FrameKind kind = profiler::FrameKind::Wasm;
  uint64_t self = 0;
  uint64_t total = 0;
  uint64_t calls = 0;
};

class FunctionTable {
public:
  /// Rows for every function that ran (any instructions or calls).
  void build(const profiler::Profile& profile);

  const std::vector<FunctionTableRow>& rows() const { return m_rows; }
  /// Row indices matching `search` (case-insensitive substring of the name
  /// or location), sorted by `column` (ties by name). Self, total and calls
  /// sort largest first when `descending`.
  std::vector<size_t> order(ProfileColumn column, bool descending, std::string_view search) const;
  /// The row of a frame, or npos.
  size_t rowOf(profiler::FrameId frame) const;
  uint64_t totalInstructions() const { return m_totalInstructions; }

  static constexpr size_t npos = size_t(-1);

private:
  std::vector<FunctionTableRow> m_rows;
  uint64_t m_totalInstructions = 0;
};

/// "12,345,678": digits in groups of three, for counts.
std::string groupDigits(uint64_t value);
/// "1.2 M", "345 k", "12": a count in at most four significant characters.
std::string shortCount(uint64_t value);
/// "1.5 KiB", "64 MiB", "12 B".
std::string formatBytes(uint64_t bytes);
/// "0x0001a2f0": an address as 8 hex digits (more when it needs them).
std::string formatAddress(uint64_t address);
/// The last component of a path.
std::string_view fileName(std::string_view path);

} // namespace wasmscope::gui
