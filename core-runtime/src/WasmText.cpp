// Wasm text for function bodies, read from the module's bytes (see
// WasmText.h). Opcode names come from Opcodes.def, the table every other
// part expands, so a new instruction is named here without more work; the
// immediates of each kind are decoded as the binary format lays them out
// (spec 5.4).
#include "wasmscope/runtime/WasmText.h"

#include "BinaryReader.h"
#include "wasmscope/runtime/Opcodes.def"

#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace wasmscope::runtime {
namespace {

enum class Immediates : uint8_t {
  None,
  BlockType,
  Label,
  LabelTable,
  Call,
  CallIndirect,
  SelectTypes,
  LocalIndex,
  GlobalIndex,
  TableIndex,
  MemArg,
  MemoryByte,
  I32,
  I64,
  F32,
  F64,
  RefType,
  FuncIndex,
};

struct OpInfo {
  const char* name = nullptr;
  Immediates immediates = Immediates::None;
  uint8_t naturalAlignLog2 = 0; ///< Loads and stores.
};

uint8_t log2Bytes(unsigned bytes) {
  return bytes == 1 ? 0 : bytes == 2 ? 1 : bytes == 4 ? 2 : 3;
}

Immediates controlImmediates(uint8_t opcode) {
  switch (opcode) {
  case 0x02: case 0x03: case 0x04: return Immediates::BlockType;
  case 0x0c: case 0x0d: return Immediates::Label;
  case 0x0e: return Immediates::LabelTable;
  case 0x10: return Immediates::Call;
  case 0x11: return Immediates::CallIndirect;
  case 0x1c: return Immediates::SelectTypes;
  case 0x20: case 0x21: case 0x22: return Immediates::LocalIndex;
  case 0x23: case 0x24: return Immediates::GlobalIndex;
  case 0x25: case 0x26: return Immediates::TableIndex;
  case 0x3f: case 0x40: return Immediates::MemoryByte;
  case 0x41: return Immediates::I32;
  case 0x42: return Immediates::I64;
  case 0x43: return Immediates::F32;
  case 0x44: return Immediates::F64;
  case 0xd0: return Immediates::RefType;
  case 0xd2: return Immediates::FuncIndex;
  default: return Immediates::None;
  }
}

/// Single-byte opcodes, indexed by opcode.
const std::array<OpInfo, 256>& singleByteOps() {
  static const std::array<OpInfo, 256> table = [] {
    std::array<OpInfo, 256> t{};
#define PLAIN(Name, text, opcode, ...) t[opcode] = {text, Immediates::None, 0};
    WASM_UNARY(PLAIN)
    WASM_BINARY(PLAIN)
    WASM_FLOAT_BINARY(PLAIN)
    WASM_TRAPPING_UNARY(PLAIN)
    WASM_TRAPPING_BINARY(PLAIN)
#undef PLAIN
#define MEMORY(Name, text, opcode, type, bytes, CType)                                             \
  t[opcode] = {text, Immediates::MemArg, log2Bytes(bytes)};
    WASM_LOAD(MEMORY)
    WASM_STORE(MEMORY)
#undef MEMORY
#define CONTROL(Name, text, opcode) t[opcode] = {text, controlImmediates(opcode), 0};
    WASM_CONTROL(CONTROL)
#undef CONTROL
    return t;
  }();
  return table;
}

const char* prefixedName(uint32_t sub) {
  switch (sub) {
#define SAT(Name, text, subopcode, ...)                                                            \
  case subopcode:                                                                                  \
    return text;
    WASM_SAT_UNARY(SAT)
#undef SAT
#define PREFIXED(Name, text, subopcode)                                                            \
  case subopcode:                                                                                  \
    return text;
    WASM_PREFIXED(PREFIXED)
#undef PREFIXED
  default:
    return nullptr;
  }
}

std::string valueTypeText(int64_t code) {
  switch (code) {
  case 0x7f: return "i32";
  case 0x7e: return "i64";
  case 0x7d: return "f32";
  case 0x7c: return "f64";
  case 0x7b: return "v128";
  case 0x70: return "funcref";
  case 0x6f: return "externref";
  default: {
    char buf[24];
    std::snprintf(buf, sizeof buf, "<type 0x%02x>", unsigned(code & 0xff));
    return buf;
  }
  }
}

std::string floatText(double v, int digits) {
  if (std::isnan(v))
    return std::signbit(v) ? "-nan" : "nan";
  if (std::isinf(v))
    return std::signbit(v) ? "-inf" : "inf";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

/// Decodes the instructions of one body.
class BodyReader {
public:
  BodyReader(const Module& module, ByteRange body)
      : m_module(module), m_reader(module.bytes, body.begin, body.end) {}

  Result<std::vector<TextInstruction>> run() {
    std::vector<TextInstruction> out;
    uint32_t depth = 0;
    while (!m_reader.atEnd()) {
      size_t start = m_reader.pos();
      TextInstruction ins;
      TRY_ASSIGN(uint8_t opcode, m_reader.u8());
      uint32_t shown = depth;
      if (opcode == 0x0b || opcode == 0x05)
        shown = depth > 0 ? depth - 1 : 0;
      if (opcode == 0xfc) {
        TRY(prefixed(ins.text, start));
      } else {
        const OpInfo& info = singleByteOps()[opcode];
        if (!info.name)
          return illegal(opcode, start);
        ins.text = info.name;
        TRY(immediates(info, ins.text));
      }
      if (opcode == 0x02 || opcode == 0x03 || opcode == 0x04)
        ++depth;
      else if (opcode == 0x0b && depth > 0)
        --depth;
      ins.codeOffset = uint32_t(start) - m_module.codeSectionOffset;
      ins.size = uint32_t(m_reader.pos() - start);
      ins.depth = shown;
      out.push_back(std::move(ins));
    }
    return out;
  }

private:
  Error illegal(uint8_t opcode, size_t at) const {
    char buf[64];
    std::snprintf(buf, sizeof buf, "illegal opcode 0x%02x", opcode);
    return Error(ErrorCode::IllegalOpcode, buf, at);
  }

  void appendNumber(std::string& text, uint64_t v) {
    text += ' ';
    text += std::to_string(v);
  }

  Result<void> prefixed(std::string& text, size_t start) {
    TRY_ASSIGN(uint32_t sub, m_reader.u32());
    const char* name = prefixedName(sub);
    if (!name) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "illegal opcode 0xfc %u", sub);
      return Error(ErrorCode::IllegalOpcode, buf, start);
    }
    text = name;
    switch (sub) {
    case 8: { // memory.init dataidx 0x00
      TRY_ASSIGN(uint32_t data, m_reader.u32());
      TRY(m_reader.u8());
      appendNumber(text, data);
      break;
    }
    case 9:  // data.drop dataidx
    case 13: // elem.drop elemidx
    case 15: // table.grow tableidx
    case 16: // table.size
    case 17: { // table.fill
      TRY_ASSIGN(uint32_t index, m_reader.u32());
      appendNumber(text, index);
      break;
    }
    case 10: // memory.copy 0x00 0x00
      TRY(m_reader.u8());
      TRY(m_reader.u8());
      break;
    case 11: // memory.fill 0x00
      TRY(m_reader.u8());
      break;
    case 12: { // table.init elemidx tableidx: text order is table then elem
      TRY_ASSIGN(uint32_t elem, m_reader.u32());
      TRY_ASSIGN(uint32_t table, m_reader.u32());
      appendNumber(text, table);
      appendNumber(text, elem);
      break;
    }
    case 14: { // table.copy dst src
      TRY_ASSIGN(uint32_t dst, m_reader.u32());
      TRY_ASSIGN(uint32_t src, m_reader.u32());
      appendNumber(text, dst);
      appendNumber(text, src);
      break;
    }
    default: // the saturating truncations have none
      break;
    }
    return {};
  }

  Result<void> immediates(const OpInfo& info, std::string& text) {
    switch (info.immediates) {
    case Immediates::None:
      return {};
    case Immediates::BlockType: {
      TRY_ASSIGN(int64_t type, m_reader.s33());
      if (type == -0x40)
        return {};
      if (type < 0) {
        text += " (result ";
        text += valueTypeText(type & 0x7f);
      } else {
        text += " (type ";
        text += std::to_string(type);
      }
      text += ')';
      return {};
    }
    case Immediates::Label:
    case Immediates::LocalIndex:
    case Immediates::GlobalIndex:
    case Immediates::TableIndex:
    case Immediates::FuncIndex: {
      TRY_ASSIGN(uint32_t index, m_reader.u32());
      appendNumber(text, index);
      return {};
    }
    case Immediates::LabelTable: {
      TRY_ASSIGN(uint32_t count, m_reader.length());
      for (uint64_t i = 0; i <= count; ++i) { // the targets, then the default
        TRY_ASSIGN(uint32_t label, m_reader.u32());
        appendNumber(text, label);
      }
      return {};
    }
    case Immediates::Call: {
      TRY_ASSIGN(uint32_t callee, m_reader.u32());
      appendNumber(text, callee);
      std::string name = callee < m_module.numFuncs() ? m_module.functionName(callee) : "";
      if (!name.empty()) {
        text += " <";
        text += name;
        text += '>';
      }
      return {};
    }
    case Immediates::CallIndirect: {
      TRY_ASSIGN(uint32_t type, m_reader.u32());
      TRY_ASSIGN(uint32_t table, m_reader.u32());
      if (table != 0)
        appendNumber(text, table);
      text += " (type ";
      text += std::to_string(type);
      text += ')';
      return {};
    }
    case Immediates::SelectTypes: {
      TRY_ASSIGN(uint32_t count, m_reader.length());
      text += " (result";
      for (uint32_t i = 0; i < count; ++i) {
        TRY_ASSIGN(uint8_t type, m_reader.u8());
        text += ' ';
        text += valueTypeText(type);
      }
      text += ')';
      return {};
    }
    case Immediates::MemArg: {
      TRY_ASSIGN(uint32_t align, m_reader.u32());
      TRY_ASSIGN(uint32_t offset, m_reader.u32());
      if (offset != 0)
        text += " offset=" + std::to_string(offset);
      if (align != info.naturalAlignLog2) {
        text += " align=";
        text += align < 32 ? std::to_string(1ull << align) : "2**" + std::to_string(align);
      }
      return {};
    }
    case Immediates::MemoryByte:
      TRY(m_reader.u8());
      return {};
    case Immediates::I32: {
      TRY_ASSIGN(int32_t v, m_reader.s32());
      text += ' ';
      text += std::to_string(v);
      return {};
    }
    case Immediates::I64: {
      TRY_ASSIGN(int64_t v, m_reader.s64());
      text += ' ';
      text += std::to_string(v);
      return {};
    }
    case Immediates::F32: {
      TRY_ASSIGN(uint32_t bits, m_reader.fixedU32());
      float v;
      std::memcpy(&v, &bits, 4);
      text += ' ';
      text += floatText(v, 9);
      return {};
    }
    case Immediates::F64: {
      TRY_ASSIGN(uint64_t bits, m_reader.fixedU64());
      double v;
      std::memcpy(&v, &bits, 8);
      text += ' ';
      text += floatText(v, 17);
      return {};
    }
    case Immediates::RefType: {
      TRY_ASSIGN(uint8_t type, m_reader.u8());
      text += ' ';
      text += type == 0x70 ? "func" : type == 0x6f ? "extern" : valueTypeText(type);
      return {};
    }
    }
    return {};
  }

  const Module& m_module;
  BinaryReader m_reader;
};

} // namespace

Result<std::vector<TextInstruction>> disassembleBody(const Module& module, uint32_t definedIndex) {
  if (definedIndex >= module.codes.size())
    return Error(ErrorCode::InvalidArgument, "no function body " + std::to_string(definedIndex) +
                                         " (the module defines " +
                                         std::to_string(module.codes.size()) + ")");
  const ByteRange& body = module.codes[definedIndex].body;
  if (body.end > module.bytes.size() || body.begin > body.end)
    return Error(ErrorCode::InvalidArgument, "function body " + std::to_string(definedIndex) +
                                         " lies outside the module's bytes");
  return BodyReader(module, body).run();
}

} // namespace wasmscope::runtime
