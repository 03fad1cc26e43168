// A structural check of a line table header's directory and file tables
// (DWARF 5 section 6.2.4, items 14 to 20; DWARF 2-4: include_directories and
// file_names), run before libdwarf's dwarf_srcfiles reads them. libdwarf
// 20210528 leaks memory on some of its error paths there (a file naming a
// directory that does not exist, found by fuzz_dwarf), so a table that
// libdwarf would reject is not handed to it at all.
#include "LineProgram.h"

#include "ByteReader.h"

#include <dwarf.h>

namespace wasmscope::debugger {

namespace {

/// Skips one attribute value of `form` in a DWARF 5 entry; false on a form
/// that does not belong in a line table header.
bool skipForm(ByteReader &r, uint64_t form, unsigned offsetSize, uint64_t &value) {
  value = 0;
  switch (form) {
  case DW_FORM_string:
    while (!r.failed() && r.u8() != 0) {
    }
    return true;
  case DW_FORM_line_strp:
  case DW_FORM_strp:
    value = r.fixed(offsetSize);
    return true;
  case DW_FORM_strx:
  case DW_FORM_udata:
    value = r.uleb();
    return true;
  case DW_FORM_strx1:
  case DW_FORM_data1:
    value = r.u8();
    return true;
  case DW_FORM_strx2:
  case DW_FORM_data2:
    value = r.u16();
    return true;
  case DW_FORM_strx3:
    value = r.fixed(3);
    return true;
  case DW_FORM_strx4:
  case DW_FORM_data4:
    value = r.u32();
    return true;
  case DW_FORM_data8:
    value = r.u64();
    return true;
  case DW_FORM_data16:
    r.fixed(8);
    r.fixed(8);
    return true;
  case DW_FORM_block: {
    uint64_t length = r.uleb();
    if (length > r.remaining())
      return false;
    r.seek(r.position() + size_t(length));
    return true;
  }
  default:
    return false;
  }
}

/// Reads a DWARF 5 entry list (directories or file names): its formats,
/// count and entries. `directories` is how many directories exist (for
/// file entries), `count` gets how many entries there are.
/// The NUL-terminated string at `offset` of `section` (bounded by it).
std::string stringAt(std::span<const uint8_t> section, uint64_t offset) {
  std::string out;
  for (uint64_t i = offset; i < section.size() && section[size_t(i)] != 0; ++i)
    out += char(section[size_t(i)]);
  return out;
}

bool checkEntries(ByteReader &r, unsigned offsetSize, const LineStringSections &strings,
                  std::optional<uint64_t> directories, uint64_t &count, std::string &error,
                  std::vector<std::string> *embedded = nullptr) {
  uint8_t formatCount = r.u8();
  std::vector<std::pair<uint64_t, uint64_t>> formats;
  for (uint8_t i = 0; i < formatCount && !r.failed(); ++i) {
    uint64_t content = r.uleb();
    uint64_t form = r.uleb();
    formats.push_back({content, form});
  }
  count = r.uleb();
  if (r.failed() || count > r.remaining()) {
    error = "truncated entry table";
    return false;
  }
  for (uint64_t entry = 0; entry < count; ++entry) {
    if (embedded)
      embedded->emplace_back();
    for (auto [content, form] : formats) {
      uint64_t value = 0;
      size_t start = r.position();
      if (!skipForm(r, form, offsetSize, value)) {
        error = "unknown form " + std::to_string(form) + " in an entry";
        return false;
      }
      if (form == DW_FORM_line_strp && value >= strings.lineStrSize) {
        error = "a name is outside .debug_line_str";
        return false;
      }
      if (form == DW_FORM_strp && value >= strings.strSize) {
        error = "a name is outside .debug_str";
        return false;
      }
      if (embedded && content == kLnctLlvmSource && !r.failed()) {
        if (form == DW_FORM_line_strp)
          embedded->back() = stringAt(strings.lineStr, value);
        else if (form == DW_FORM_strp)
          embedded->back() = stringAt(strings.str, value);
        else if (form == DW_FORM_string && r.position() > start)
          embedded->back().assign(reinterpret_cast<const char *>(r.data()) + start,
                                  r.position() - start - 1);
      }
      if (content == DW_LNCT_directory_index && directories && value >= *directories) {
        error = "file " + std::to_string(entry) + " names directory " + std::to_string(value) +
                " of " + std::to_string(*directories);
        return false;
      }
    }
    if (r.failed()) {
      error = "truncated entry table";
      return false;
    }
  }
  return true;
}

} // namespace

bool checkFileTable(std::span<const uint8_t> debugLine, uint64_t offset,
                    const LineStringSections &strings, std::string &error,
                    std::vector<std::string> *embedded) {
  if (offset >= debugLine.size()) {
    error = "line table offset is outside the section";
    return false;
  }
  ByteReader r(debugLine);
  r.seek(size_t(offset));
  uint64_t length = r.u32();
  unsigned offsetSize = 4;
  if (length == 0xffffffffu) {
    length = r.u64();
    offsetSize = 8;
  }
  if (r.failed() || length > r.remaining()) {
    error = "line table runs past the end of the section";
    return false;
  }
  const size_t unitEnd = r.position() + size_t(length);
  uint16_t version = r.u16();
  if (version < 2 || version > 5) {
    error = "unsupported line table version";
    return false;
  }
  if (version >= 5)
    r.fixed(2); // address_size, segment_selector_size
  uint64_t headerLength = r.fixed(offsetSize);
  if (r.failed() || headerLength > unitEnd - r.position()) {
    error = "line table header runs past its unit";
    return false;
  }
  // Only the header is read from here on.
  const size_t headerEnd = r.position() + size_t(headerLength);
  ByteReader h(debugLine.first(headerEnd));
  h.seek(r.position());
  h.u8(); // minimum_instruction_length
  if (version >= 4)
    h.u8(); // maximum_operations_per_instruction
  h.fixed(3); // default_is_stmt, line_base, line_range
  uint8_t opcodeBase = h.u8();
  for (unsigned i = 1; i < opcodeBase; ++i)
    h.u8();
  if (h.failed()) {
    error = "bad line table header";
    return false;
  }

  if (version >= 5) {
    uint64_t directories = 0, files = 0;
    std::string problem;
    if (!checkEntries(h, offsetSize, strings, std::nullopt, directories, problem) ||
        !checkEntries(h, offsetSize, strings, directories, files, problem, embedded)) {
      error = "bad directory or file table: " + problem;
      return false;
    }
    return true;
  }

  // DWARF 2-4: null-terminated strings, then file entries, each list ended
  // by an empty string. Directory 0 is the compilation directory.
  uint64_t directories = 1;
  for (;;) {
    if (h.atEnd()) {
      error = "bad directory or file table: include_directories runs past the header";
      return false;
    }
    if (h.u8() == 0)
      break;
    while (!h.failed() && h.u8() != 0) {
    }
    ++directories;
  }
  for (uint64_t file = 1;; ++file) {
    if (h.atEnd()) {
      error = "bad directory or file table: file_names runs past the header";
      return false;
    }
    if (h.u8() == 0)
      break;
    while (!h.failed() && h.u8() != 0) {
    }
    uint64_t directory = h.uleb();
    h.uleb(); // modification time
    h.uleb(); // length
    if (h.failed()) {
      error = "bad directory or file table: truncated file entry";
      return false;
    }
    if (directory >= directories) {
      error = "bad directory or file table: file " + std::to_string(file) + " names directory " +
              std::to_string(directory) + " of " + std::to_string(directories);
      return false;
    }
  }
  return true;
}

} // namespace wasmscope::debugger
