// Range lists and location lists, decoded here rather than by libdwarf:
// libdwarf 20210528 decodes every location operation while reading a list and
// rejects DW_OP_WASM_location (0xED), so lists are read from the raw section
// bytes. DWARF 4 `.debug_ranges`/`.debug_loc` (section 2.17.3, 2.6.2) and
// DWARF 5 `.debug_rnglists`/`.debug_loclists` (sections 7.25, 7.29).
#pragma once

#include "DieReader.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace wasmscope::debugger {

/// What list decoding needs to know about the unit the attribute is in.
struct UnitContext {
  uint16_t version = 4;
  uint8_t addressSize = 4;
  uint64_t baseAddress = 0; ///< The unit's DW_AT_low_pc.
  bool hasAddrBase = false;
  uint64_t addrBase = 0;
  bool hasLoclistsBase = false;
  uint64_t loclistsBase = 0;
  bool hasRnglistsBase = false;
  uint64_t rnglistsBase = 0;
};

/// The raw debug sections the list readers use.
struct ListSections {
  std::span<const uint8_t> debugRanges, debugRnglists, debugLoc, debugLoclists, debugAddr;
};

/// A list decoding failure: the section and the offset of the bad entry.
struct ListError {
  const char *section = "";
  uint64_t offset = 0;
  std::string message;
};

struct RawRange {
  uint64_t low = 0;
  uint64_t high = 0;
};

struct RawLocation {
  uint64_t low = 0;
  uint64_t high = 0;
  bool always = false; ///< DW_LLE_default_location, or a plain expression.
  std::span<const uint8_t> expression;
};

/// Entry `index` of .debug_addr for the unit (DW_OP_addrx, DW_FORM_addrx).
bool readDebugAddr(const UnitContext &unit, const ListSections &sections, uint64_t index,
                   uint64_t &out);

/// Decodes a DW_AT_ranges value. Entries are returned unfiltered (the caller
/// drops linker tombstones); on error, the entries before it are kept.
bool readRangeList(const ListOrExpr &attr, const UnitContext &unit, const ListSections &sections,
                   std::vector<RawRange> &out, ListError &error);

/// Decodes a DW_AT_location value: a single expression becomes one entry
/// with `always` set.
bool readLocationList(const ListOrExpr &attr, const UnitContext &unit, const ListSections &sections,
                      std::vector<RawLocation> &out, ListError &error);

} // namespace wasmscope::debugger
