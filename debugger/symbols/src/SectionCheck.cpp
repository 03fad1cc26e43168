// Unit-header and abbreviation-table checks (DWARF 5 sections 7.5.1, 7.5.3,
// 6.2.4), independent of libdwarf.
#include "SectionCheck.h"

#include "ByteReader.h"

#include <cstdio>
#include <set>
#include <string>

namespace wasmscope::debugger {
namespace {

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)v);
  return buf;
}

/// Reads a unit length at the reader's position: 32-bit, or 0xffffffff then
/// 64-bit. Returns the offset where the unit ends, or 0 on failure.
uint64_t unitEnd(ByteReader &r) {
  uint64_t length = r.u32();
  if (length == 0xffffffffu)
    length = r.u64();
  else if (length >= 0xfffffff0u)
    return 0; // Reserved values.
  if (r.failed() || length > r.remaining())
    return 0;
  return r.position() + length;
}

/// An abbreviation table: declarations up to a 0 code (DWARF 5 7.5.3).
bool abbrevTableEnds(std::span<const uint8_t> abbrev, uint64_t offset, std::string &why) {
  ByteReader r(abbrev);
  if (offset >= abbrev.size()) {
    why = "abbreviation offset " + hex(offset) + " is outside .debug_abbrev";
    return false;
  }
  r.seek(size_t(offset));
  for (size_t decl = 0; decl < 1000000; ++decl) {
    uint64_t code = r.uleb();
    if (r.failed())
      break;
    if (code == 0)
      return true;
    r.uleb(); // tag
    r.u8();   // children
    for (size_t attr = 0; attr < 10000 && !r.failed(); ++attr) {
      uint64_t name = r.uleb();
      uint64_t form = r.uleb();
      if (form == 0x21) // DW_FORM_implicit_const
        r.sleb();
      if (name == 0 && form == 0)
        break;
    }
  }
  why = "abbreviation table at " + hex(offset) + " runs off the end of the section";
  return false;
}

} // namespace

SectionCheck checkSections(std::span<const uint8_t> info, std::span<const uint8_t> abbrev,
                           std::span<const uint8_t> line, std::vector<SymbolWarning> *warnings) {
  SectionCheck out;
  auto warn = [&](const char *section, uint64_t offset, std::string message) {
    if (warnings)
      warnings->push_back({section, offset, std::move(message)});
  };

  ByteReader r(info);
  std::set<uint64_t> goodTables;
  while (!r.atEnd()) {
    uint64_t start = r.position();
    uint64_t end = unitEnd(r);
    if (!end) {
      warn(".debug_info", start,
           "unit length runs past the end of the section (truncated?); this and later units "
           "are ignored");
      break;
    }
    uint16_t version = r.u16();
    uint64_t abbrevOffset = 0;
    uint8_t addressSize = 0;
    if (version >= 5) {
      r.u8(); // unit_type
      addressSize = r.u8();
      abbrevOffset = r.u32();
    } else {
      abbrevOffset = r.u32();
      addressSize = r.u8();
    }
    if (r.failed() || version < 2 || version > 5 || (addressSize != 4 && addressSize != 8)) {
      warn(".debug_info", start,
           "bad unit header (version " + std::to_string(version) + ", address size " +
               std::to_string(addressSize) + "); this and later units are ignored");
      break;
    }
    std::string why;
    if (!goodTables.count(abbrevOffset)) {
      if (!abbrevTableEnds(abbrev, abbrevOffset, why)) {
        warn(".debug_abbrev", abbrevOffset < abbrev.size() ? abbrevOffset : UINT64_MAX,
             why + " (unit at .debug_info+" + hex(start) + "); this and later units are ignored");
        break;
      }
      goodTables.insert(abbrevOffset);
    }
    out.usableInfo = end;
    r.seek(size_t(end));
  }

  ByteReader l(line);
  while (!l.atEnd()) {
    uint64_t start = l.position();
    uint64_t end = unitEnd(l);
    if (!end) {
      warn(".debug_line", start,
           "line table length runs past the end of the section (truncated?); this and later "
           "line tables are ignored");
      break;
    }
    out.usableLine = end;
    l.seek(size_t(end));
  }
  return out;
}

const char *sectionOfError(const std::string &message, const char *fallback) {
  struct Key {
    const char *needle;
    const char *section;
  };
  static const Key kKeys[] = {
      {"ABBREV", ".debug_abbrev"},
      {"debug_abbrev", ".debug_abbrev"},
      {"STR_OFFSETS", ".debug_str_offsets"},
      {"LINE_STR", ".debug_line_str"},
      {"STRP", ".debug_str"},
      {"STRING", ".debug_str"},
      {"debug_str", ".debug_str"},
      {"DEBUG_ADDR", ".debug_addr"},
      {"LINE", ".debug_line"},
  };
  for (const Key &k : kKeys)
    if (message.find(k.needle) != std::string::npos)
      return k.section;
  return fallback;
}

} // namespace wasmscope::debugger
