// Range and location list decoding for DWARF 4 and 5 (see DwarfLists.h).
#include "DwarfLists.h"

#include "ByteReader.h"

#include <dwarf.h>

namespace wasmscope::debugger {
namespace {

/// Bound on entries per list: a corrupt list cannot make us allocate much.
constexpr size_t kMaxListEntries = 1u << 16;

uint64_t maxAddress(uint8_t addressSize) {
  return addressSize >= 8 ? UINT64_MAX : (uint64_t(1) << (8 * addressSize)) - 1;
}

} // namespace

bool readDebugAddr(const UnitContext &unit, const ListSections &sections, uint64_t index,
                   uint64_t &out) {
  // .debug_addr (DWARF 5 section 7.27): entries after an 8-byte header, at
  // DW_AT_addr_base, which already points past the header.
  if (!unit.hasAddrBase)
    return false;
  ByteReader r(sections.debugAddr);
  uint64_t at = unit.addrBase + index * unit.addressSize;
  if (index > sections.debugAddr.size() || at < unit.addrBase)
    return false;
  r.seek(size_t(at));
  out = r.fixed(unit.addressSize);
  return !r.failed();
}

namespace {

bool readAddrx(const UnitContext &unit, const ListSections &sections, uint64_t index,
               uint64_t &out) {
  return readDebugAddr(unit, sections, index, out);
}

/// Resolves DW_FORM_loclistx/rnglistx through the offsets table at `base`
/// (DWARF 5 sections 7.28, 7.29: 4-byte offsets relative to the base).
bool resolveListx(std::span<const uint8_t> section, bool hasBase, uint64_t base, uint64_t index,
                  uint64_t &out) {
  if (!hasBase || index > section.size())
    return false;
  ByteReader r(section);
  r.seek(size_t(base + index * 4));
  uint64_t rel = r.u32();
  if (r.failed())
    return false;
  out = base + rel;
  return true;
}

bool isListx(Dwarf_Half form) {
  return form == DW_FORM_loclistx || form == DW_FORM_rnglistx;
}

bool fail(ListError &error, const char *section, uint64_t offset, std::string message) {
  error = {section, offset, std::move(message)};
  return false;
}

} // namespace

bool readRangeList(const ListOrExpr &attr, const UnitContext &unit, const ListSections &sections,
                   std::vector<RawRange> &out, ListError &error) {
  const uint8_t as = unit.addressSize;
  if (unit.version < 5) {
    const char *name = ".debug_ranges";
    ByteReader r(sections.debugRanges, 0);
    if (attr.value >= sections.debugRanges.size())
      return fail(error, name, attr.value, "range list offset out of bounds");
    r.seek(size_t(attr.value));
    uint64_t base = unit.baseAddress;
    const uint64_t selector = maxAddress(as);
    while (out.size() < kMaxListEntries) {
      size_t at = r.position();
      uint64_t begin = r.fixed(as), end = r.fixed(as);
      if (r.failed())
        return fail(error, name, at, "truncated range list");
      if (begin == 0 && end == 0)
        return true;
      if (begin == selector) {
        base = end;
        continue;
      }
      out.push_back({base + begin, base + end});
    }
    return fail(error, name, attr.value, "range list too long");
  }

  const char *name = ".debug_rnglists";
  uint64_t offset = attr.value;
  if (isListx(attr.form) && !resolveListx(sections.debugRnglists, unit.hasRnglistsBase,
                                          unit.rnglistsBase, attr.value, offset))
    return fail(error, name, unit.rnglistsBase, "bad DW_FORM_rnglistx index");
  if (offset >= sections.debugRnglists.size())
    return fail(error, name, offset, "range list offset out of bounds");
  ByteReader r(sections.debugRnglists);
  r.seek(size_t(offset));
  uint64_t base = unit.baseAddress;
  while (out.size() < kMaxListEntries) {
    size_t at = r.position();
    uint8_t kind = r.u8();
    uint64_t a = 0, b = 0;
    switch (kind) {
    case DW_RLE_end_of_list:
      if (r.failed())
        break;
      return true;
    case DW_RLE_base_addressx:
      if (!readAddrx(unit, sections, r.uleb(), base))
        return fail(error, name, at, "bad .debug_addr index");
      continue;
    case DW_RLE_startx_endx:
      if (!readAddrx(unit, sections, r.uleb(), a) || !readAddrx(unit, sections, r.uleb(), b))
        return fail(error, name, at, "bad .debug_addr index");
      out.push_back({a, b});
      continue;
    case DW_RLE_startx_length:
      if (!readAddrx(unit, sections, r.uleb(), a))
        return fail(error, name, at, "bad .debug_addr index");
      b = a + r.uleb();
      out.push_back({a, b});
      continue;
    case DW_RLE_offset_pair:
      a = r.uleb();
      b = r.uleb();
      out.push_back({base + a, base + b});
      break;
    case DW_RLE_base_address:
      base = r.fixed(as);
      break;
    case DW_RLE_start_end:
      a = r.fixed(as);
      b = r.fixed(as);
      out.push_back({a, b});
      break;
    case DW_RLE_start_length:
      a = r.fixed(as);
      b = a + r.uleb();
      out.push_back({a, b});
      break;
    default:
      return fail(error, name, at, "unknown range list entry kind " + std::to_string(kind));
    }
    if (r.failed())
      return fail(error, name, at, "truncated range list");
  }
  return fail(error, name, offset, "range list too long");
}

bool readLocationList(const ListOrExpr &attr, const UnitContext &unit, const ListSections &sections,
                      std::vector<RawLocation> &out, ListError &error) {
  if (attr.isExpr) {
    out.push_back({0, 0, true, attr.expr});
    return true;
  }
  const uint8_t as = unit.addressSize;
  if (unit.version < 5) {
    const char *name = ".debug_loc";
    if (attr.value >= sections.debugLoc.size())
      return fail(error, name, attr.value, "location list offset out of bounds");
    ByteReader r(sections.debugLoc);
    r.seek(size_t(attr.value));
    uint64_t base = unit.baseAddress;
    const uint64_t selector = maxAddress(as);
    while (out.size() < kMaxListEntries) {
      size_t at = r.position();
      uint64_t begin = r.fixed(as), end = r.fixed(as);
      if (r.failed())
        return fail(error, name, at, "truncated location list");
      if (begin == 0 && end == 0)
        return true;
      if (begin == selector) {
        base = end;
        continue;
      }
      uint16_t len = r.u16();
      auto expr = r.bytes(len);
      if (r.failed())
        return fail(error, name, at, "truncated location list entry");
      out.push_back({base + begin, base + end, false, expr});
    }
    return fail(error, name, attr.value, "location list too long");
  }

  const char *name = ".debug_loclists";
  uint64_t offset = attr.value;
  if (isListx(attr.form) && !resolveListx(sections.debugLoclists, unit.hasLoclistsBase,
                                          unit.loclistsBase, attr.value, offset))
    return fail(error, name, unit.loclistsBase, "bad DW_FORM_loclistx index");
  if (offset >= sections.debugLoclists.size())
    return fail(error, name, offset, "location list offset out of bounds");
  ByteReader r(sections.debugLoclists);
  r.seek(size_t(offset));
  uint64_t base = unit.baseAddress;
  while (out.size() < kMaxListEntries) {
    size_t at = r.position();
    uint8_t kind = r.u8();
    uint64_t a = 0, b = 0;
    bool hasEntry = true, always = false;
    switch (kind) {
    case DW_LLE_end_of_list:
      if (r.failed())
        return fail(error, name, at, "truncated location list");
      return true;
    case DW_LLE_base_addressx:
      if (!readAddrx(unit, sections, r.uleb(), base))
        return fail(error, name, at, "bad .debug_addr index");
      hasEntry = false;
      break;
    case DW_LLE_startx_endx:
      if (!readAddrx(unit, sections, r.uleb(), a) || !readAddrx(unit, sections, r.uleb(), b))
        return fail(error, name, at, "bad .debug_addr index");
      break;
    case DW_LLE_startx_length:
      if (!readAddrx(unit, sections, r.uleb(), a))
        return fail(error, name, at, "bad .debug_addr index");
      b = a + r.uleb();
      break;
    case DW_LLE_offset_pair:
      a = base + r.uleb();
      b = base + r.uleb();
      break;
    case DW_LLE_default_location:
      always = true;
      break;
    case DW_LLE_base_address:
      base = r.fixed(as);
      hasEntry = false;
      break;
    case DW_LLE_start_end:
      a = r.fixed(as);
      b = r.fixed(as);
      break;
    case DW_LLE_start_length:
      a = r.fixed(as);
      b = a + r.uleb();
      break;
    default:
      return fail(error, name, at, "unknown location list entry kind " + std::to_string(kind));
    }
    if (hasEntry) {
      uint64_t len = r.uleb();
      auto expr = r.bytes(len);
      if (!r.failed())
        out.push_back({a, b, always, expr});
    }
    if (r.failed())
      return fail(error, name, at, "truncated location list entry");
  }
  return fail(error, name, offset, "location list too long");
}

} // namespace wasmscope::debugger
