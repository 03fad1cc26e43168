// The DWARF 2-5 line-number state machine (DWARF 5 sections 6.2.2 to 6.2.5).
#include "LineProgram.h"

#include "ByteReader.h"

namespace wasmscope::debugger {

bool runLineProgram(std::span<const uint8_t> debugLine, uint64_t offset,
                    std::vector<LineProgramRow> &rows, uint16_t &version, std::string &error,
                    uint64_t &errorOffset) {
  auto fail = [&](uint64_t at, const char *message) {
    error = message;
    errorOffset = at;
    return false;
  };
  if (offset >= debugLine.size())
    return fail(offset, "line table offset is outside the section");
  ByteReader r(debugLine);
  r.seek(size_t(offset));
  // Header (6.2.4).
  uint64_t length = r.u32();
  unsigned offsetSize = 4;
  if (length == 0xffffffffu) {
    length = r.u64();
    offsetSize = 8;
  }
  if (r.failed() || length > r.remaining())
    return fail(offset, "line table runs past the end of the section");
  const size_t unitEnd = r.position() + size_t(length);
  version = r.u16();
  if (version < 2 || version > 5)
    return fail(offset, "unsupported line table version");
  uint8_t addressSize = 4;
  if (version >= 5) {
    addressSize = r.u8();
    r.u8(); // segment_selector_size
  }
  uint64_t headerLength = r.fixed(offsetSize);
  if (r.failed() || headerLength > unitEnd - r.position())
    return fail(offset, "line table header runs past its unit");
  const size_t programStart = r.position() + size_t(headerLength);
  const uint8_t minInstLength = r.u8();
  if (version >= 4)
    r.u8(); // maximum_operations_per_instruction: 1 outside VLIW
  const bool defaultIsStmt = r.u8() != 0;
  const int8_t lineBase = int8_t(r.u8());
  const uint8_t lineRange = r.u8();
  const uint8_t opcodeBase = r.u8();
  if (r.failed() || lineRange == 0 || opcodeBase == 0)
    return fail(offset, "bad line table header");
  uint8_t argCounts[256] = {};
  for (unsigned i = 1; i < opcodeBase; ++i)
    argCounts[i] = r.u8();
  if (r.failed() || (addressSize != 4 && addressSize != 8))
    return fail(offset, "bad line table header");

  // The program (6.2.5).
  ByteReader p(debugLine.first(unitEnd));
  p.seek(programStart);
  LineProgramRow state;
  auto reset = [&] {
    state = LineProgramRow{};
    state.file = 1;
    state.line = 1;
    state.isStmt = defaultIsStmt;
  };
  reset();
  auto emit = [&] {
    rows.push_back(state);
    state.prologueEnd = false;
    state.epilogueBegin = false;
  };
  while (!p.atEnd()) {
    size_t at = p.position();
    uint8_t op = p.u8();
    if (op >= opcodeBase) {
      unsigned adjusted = op - opcodeBase;
      state.address += uint64_t(adjusted / lineRange) * minInstLength;
      state.line = uint32_t(int64_t(state.line) + lineBase + int(adjusted % lineRange));
      emit();
      continue;
    }
    switch (op) {
    case 0: { // Extended opcode.
      uint64_t len = p.uleb();
      if (p.failed() || len == 0 || len > p.remaining())
        return fail(at, "bad extended opcode length");
      size_t next = p.position() + size_t(len);
      uint8_t sub = p.u8();
      if (sub == 1) { // DW_LNE_end_sequence
        state.endSequence = true;
        emit();
        reset();
      } else if (sub == 2) { // DW_LNE_set_address
        state.address = p.fixed(unsigned(len - 1));
      }
      // DW_LNE_define_file, DW_LNE_set_discriminator and vendor opcodes
      // carry nothing we use.
      p.seek(next);
      break;
    }
    case 1: // DW_LNS_copy
      emit();
      break;
    case 2: // DW_LNS_advance_pc
      state.address += p.uleb() * minInstLength;
      break;
    case 3: // DW_LNS_advance_line
      state.line = uint32_t(int64_t(state.line) + p.sleb());
      break;
    case 4: // DW_LNS_set_file
      state.file = uint32_t(p.uleb());
      break;
    case 5: // DW_LNS_set_column
      state.column = uint32_t(p.uleb());
      break;
    case 6: // DW_LNS_negate_stmt
      state.isStmt = !state.isStmt;
      break;
    case 7: // DW_LNS_set_basic_block
      break;
    case 8: // DW_LNS_const_add_pc
      state.address += uint64_t((255 - opcodeBase) / lineRange) * minInstLength;
      break;
    case 9: // DW_LNS_fixed_advance_pc
      state.address += p.u16();
      break;
    case 10: // DW_LNS_set_prologue_end
      state.prologueEnd = true;
      break;
    case 11: // DW_LNS_set_epilogue_begin
      state.epilogueBegin = true;
      break;
    default: // DW_LNS_set_isa and opcodes this reader does not know.
      for (unsigned i = 0; i < argCounts[op]; ++i)
        p.uleb();
      break;
    }
    if (p.failed())
      return fail(at, "truncated line program");
  }
  return true;
}

} // namespace wasmscope::debugger
