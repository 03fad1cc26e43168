// Wasm text for the instructions of a function body, one entry per
// instruction with its byte offset and encoding length, as debuggers show
// disassembly ("i32.load offset=12", "call 7 <list_sum>", "br_if 1").
// Reads the module's original bytes, not the compiled form (Disassembler.cpp
// lists that), so the offsets are the ones DWARF and stack frames use.
#pragma once

#include "wasmscope/runtime/Module.h"
#include "wasmscope/runtime/Result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace wasmscope::runtime {

/// One decoded instruction of a function body.
struct TextInstruction {
  uint32_t codeOffset = 0; ///< Relative to the code section (DWARF's addresses).
  uint32_t size = 0;       ///< Bytes of its encoding, immediates included.
  /// Wasm text, immediates as the text format writes them: "local.get 2",
  /// "i32.load offset=12", "i64.const -1", "call 7 <list_sum>" (the callee's
  /// name-section name when it has one), "br_table 0 1 2".
  std::string text;
  /// Nesting of blocks around it (0 at the body's top level); `end` and
  /// `else` are at the depth of their block's opener.
  uint32_t depth = 0;
};

/// The instructions of defined function `definedIndex` (0 = the first
/// function of the code section, not counting imports), in order, the final
/// `end` included. Works on any decoded module, validated or not: a body
/// that does not decode (an unknown opcode, immediates past its end) is an
/// error naming the byte offset, never a read outside the body.
Result<std::vector<TextInstruction>> disassembleBody(const Module& module, uint32_t definedIndex);

} // namespace wasmscope::runtime
