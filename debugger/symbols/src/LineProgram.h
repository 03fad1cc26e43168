// The line-number program of one .debug_line unit (DWARF 5 section 6.2),
// run here rather than through libdwarf's dwarf_srclines_b, which allocates
// an object per row and made up a fifth of the load time of large modules.
// libdwarf still reads the header's file names (dwarf_srcfiles), once
// checkFileTable has found them well-formed.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace wasmscope::debugger {

/// One row of the line table matrix (section 6.2.2).
struct LineProgramRow {
  uint64_t address = 0;
  uint32_t file = 0; ///< The raw file register (1-based before DWARF 5).
  uint32_t line = 0;
  uint32_t column = 0;
  bool isStmt = false;
  bool prologueEnd = false;
  bool epilogueBegin = false;
  bool endSequence = false;
};

/// Runs the line program of the unit at `offset`. On malformed input returns
/// false with `error` and `errorOffset` set; rows decoded before are kept.
bool runLineProgram(std::span<const uint8_t> debugLine, uint64_t offset,
                    std::vector<LineProgramRow> &rows, uint16_t &version, std::string &error,
                    uint64_t &errorOffset);

/// Sizes of the string sections a DWARF 5 file table points into, and
/// their bytes (to read embedded sources from).
struct LineStringSections {
  uint64_t strSize = 0;     ///< .debug_str
  uint64_t lineStrSize = 0; ///< .debug_line_str
  std::span<const uint8_t> str;
  std::span<const uint8_t> lineStr;
};

/// DW_LNCT_LLVM_source: a file entry's source text (clang -gembed-source).
inline constexpr uint64_t kLnctLlvmSource = 0x2001;

/// Checks the directory and file tables of the line table header at
/// `offset` (LineFileTable.cpp): every entry inside the header, every form
/// known, every string offset inside its section, every file's directory
/// index naming a directory. False with `error` otherwise.
/// With `embedded`, also gives each DWARF 5 file entry's embedded source
/// (DW_LNCT_LLVM_source), in entry order, empty where there is none.
bool checkFileTable(std::span<const uint8_t> debugLine, uint64_t offset,
                    const LineStringSections &strings, std::string &error,
                    std::vector<std::string> *embedded = nullptr);

} // namespace wasmscope::debugger
