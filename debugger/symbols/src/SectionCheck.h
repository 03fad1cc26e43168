// Structural checks of the debug sections libdwarf reads, done before
// libdwarf sees them: unit headers of .debug_info and .debug_line chain to
// the end of their sections, and every abbreviation table a unit names ends
// inside .debug_abbrev. Truncated or corrupt sections get a warning with
// the section and offset, and libdwarf is only shown the complete units.
#pragma once

#include "wasmscope/symbols/Symbols.h"

#include <cstdint>
#include <span>
#include <vector>

namespace wasmscope::debugger {

struct SectionCheck {
  /// Bytes of .debug_info made of complete units with sane headers.
  uint64_t usableInfo = 0;
  /// Bytes of .debug_line made of complete line-table units.
  uint64_t usableLine = 0;
};

SectionCheck checkSections(std::span<const uint8_t> info, std::span<const uint8_t> abbrev,
                           std::span<const uint8_t> line, std::vector<SymbolWarning> *warnings);

/// The section a libdwarf error message is about (".debug_abbrev" for
/// DW_DLE_ABBREV_*, ...), or `fallback`.
const char *sectionOfError(const std::string &message, const char *fallback);

} // namespace wasmscope::debugger
