// Reads the attributes of one DIE through libdwarf into a plain struct, in a
// single pass over dwarf_attrlist, so that the tree walk never handles
// libdwarf attribute objects itself.
#pragma once

#include <libdwarf.h>

#include <cstdint>
#include <span>
#include <string>

namespace wasmscope::debugger {

/// An attribute whose value is a DWARF expression or a location/range list.
struct ListOrExpr {
  bool present = false;
  bool isExpr = false; ///< exprloc or block: `expr` holds it.
  std::span<const uint8_t> expr;
  Dwarf_Half form = 0; ///< Otherwise sec_offset, loclistx, rnglistx, data4/8.
  uint64_t value = 0;
};

/// The attributes this library uses, raw. Offsets are .debug_info-global.
struct DieAttrs {
  Dwarf_Half tag = 0;
  Dwarf_Off offset = 0;
  /// The first attribute that could not be read (it is skipped), if any.
  std::string attrError;
  Dwarf_Half attrErrorForm = 0;

  const char *name = nullptr;
  const char *linkageName = nullptr;
  bool hasLowPc = false;
  uint64_t lowPc = 0;
  bool hasHighPc = false;
  bool highPcIsOffset = false;
  uint64_t highPc = 0;
  ListOrExpr ranges;
  uint64_t type = 0; ///< 0: none (offset 0 is a unit header, never a DIE).
  uint64_t abstractOrigin = 0;
  uint64_t specification = 0;
  bool hasDeclFile = false;
  uint64_t declFile = 0;
  uint64_t declLine = 0;
  bool hasCallFile = false;
  uint64_t callFile = 0;
  uint64_t callLine = 0;
  uint64_t callColumn = 0;
  ListOrExpr location;
  ListOrExpr frameBase;
  ListOrExpr memberLocation; ///< DW_AT_data_member_location (constant in `value`).
  bool hasConstValue = false;
  Dwarf_Half constForm = 0;
  uint64_t constValue = 0; ///< Bits; signed forms sign-extended.
  std::span<const uint8_t> constBlock;
  bool hasByteSize = false;
  uint64_t byteSize = 0;
  bool hasBitSize = false;
  uint64_t bitSize = 0;
  bool hasDataBitOffset = false;
  uint64_t dataBitOffset = 0;
  bool hasBitOffset = false; ///< DWARF 2/3 DW_AT_bit_offset (from the MSB).
  uint64_t bitOffset = 0;
  uint64_t encoding = 0;
  bool hasLowerBound = false;
  int64_t lowerBound = 0;
  bool hasUpperBound = false;
  int64_t upperBound = 0;
  bool hasCount = false;
  uint64_t count = 0;
  bool declaration = false;
  bool external = false;
  bool artificial = false;
  bool vector = false; ///< DW_AT_GNU_vector: an array type that is a SIMD vector.
  uint64_t inlineAttr = 0;

  // Compile units.
  const char *producer = nullptr;
  const char *compDir = nullptr;
  uint64_t language = 0;
  bool hasStmtList = false;
  uint64_t stmtList = 0;
  bool hasAddrBase = false;
  uint64_t addrBase = 0;
  bool hasLoclistsBase = false;
  uint64_t loclistsBase = 0;
  bool hasRnglistsBase = false;
  uint64_t rnglistsBase = 0;
};

/// Fills `out` from `die`. On a libdwarf error returns false with `error`
/// set; attributes read before it are kept. Unreadable single attributes
/// are skipped.
bool readDieAttrs(Dwarf_Debug dbg, Dwarf_Die die, DieAttrs &out, std::string &error);

/// The section an unreadable attribute of `form` points into.
const char *sectionOfForm(Dwarf_Half form);

} // namespace wasmscope::debugger
