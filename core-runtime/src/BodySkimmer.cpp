// Decoding function bodies without validating them (BodySkimmer.h). The
// immediates of each instruction family come from Opcodes.def; the errors
// and their wording are the ones FunctionCompiler gives for the same bytes.
#include "BodySkimmer.h"

#include "BinaryReader.h"
#include "wasmscope/runtime/Opcodes.def"

#include <array>
#include <cstdio>
#include <vector>

namespace wasmscope::runtime {
namespace {

/// How to read an instruction's immediates.
enum class Immediates : uint8_t {
  Unknown, ///< Not an instruction: illegal opcode.
  None,
  MemArg,     ///< align, offset
  MemArgLane, ///< align, offset, lane byte
  Lane,       ///< lane byte
  Bytes16,    ///< v128.const and i8x16.shuffle
};

#define SK_NONE(Name, text, code, ...) t[code] = Immediates::None;
#define SK_MEMARG(Name, text, code, ...) t[code] = Immediates::MemArg;

constexpr std::array<Immediates, 256> makeSimdTable() {
  std::array<Immediates, 256> t{};
  WASM_SIMD_UNARY(SK_NONE)
  WASM_SIMD_BINARY(SK_NONE)
  WASM_SIMD_SHIFT(SK_NONE)
  WASM_SIMD_TERNARY(SK_NONE)
  WASM_SIMD_LOAD(SK_MEMARG)
#define SK_LANE(Name, text, code, ...) t[code] = Immediates::Lane;
  WASM_SIMD_EXTRACT_LANE(SK_LANE)
  WASM_SIMD_REPLACE_LANE(SK_LANE)
#undef SK_LANE
#define SK_MEMARG_LANE(Name, text, code, ...) t[code] = Immediates::MemArgLane;
  WASM_SIMD_LOAD_LANE(SK_MEMARG_LANE)
  WASM_SIMD_STORE_LANE(SK_MEMARG_LANE)
#undef SK_MEMARG_LANE
  t[11] = Immediates::MemArg;  // v128.store
  t[12] = Immediates::Bytes16; // v128.const
  t[13] = Immediates::Bytes16; // i8x16.shuffle
  return t;
}

/// The one-byte opcodes whose immediates are a table can say: none or a
/// memarg. The control instructions and constants are read by hand.
constexpr std::array<Immediates, 256> makeSimpleTable() {
  std::array<Immediates, 256> t{};
  WASM_UNARY(SK_NONE)
  WASM_BINARY(SK_NONE)
  WASM_FLOAT_BINARY(SK_NONE)
  WASM_TRAPPING_UNARY(SK_NONE)
  WASM_TRAPPING_BINARY(SK_NONE)
  WASM_LOAD(SK_MEMARG)
  WASM_STORE(SK_MEMARG)
  return t;
}

#undef SK_NONE
#undef SK_MEMARG

constexpr std::array<Immediates, 256> kSimple = makeSimpleTable();
constexpr std::array<Immediates, 256> kSimd = makeSimdTable();

std::string hexByte(uint8_t b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02x", b);
  return buf;
}

class Skimmer {
public:
  Skimmer(const Module& m, FuncIndex index, const Code& code)
      : m_module(m), m_index(index), m_reader(m.bytes, code.body.begin, code.body.end) {}

  Result<void> run() {
    m_blocks.push_back(0); // The function body.
    while (!m_blocks.empty()) {
      if (m_reader.atEnd())
        return fail(ErrorCode::UnexpectedEnd, "unexpected end of function body");
      m_at = uint32_t(m_reader.pos());
      TRY_ASSIGN(uint8_t op, m_reader.u8());
      TRY(instruction(op));
    }
    if (!m_reader.atEnd())
      return fail(ErrorCode::SectionSizeMismatch,
                  "section size mismatch: bytes after the function's end");
    return success();
  }

private:
  Error fail(ErrorCode code, std::string message = {}) const {
    return Error(code, std::move(message), m_at, m_index);
  }
  Error illegal(std::string what) const { return fail(ErrorCode::IllegalOpcode, "illegal opcode " + what); }

  Result<void> skip(Immediates imm) {
    switch (imm) {
    case Immediates::Unknown:
      return success(); // Reported by the caller, which knows the opcode.
    case Immediates::None:
      return success();
    case Immediates::MemArg:
    case Immediates::MemArgLane:
      TRY(m_reader.u32());
      TRY(m_reader.u32());
      if (imm == Immediates::MemArgLane)
        TRY(m_reader.u8());
      return success();
    case Immediates::Lane:
      TRY(m_reader.u8());
      return success();
    case Immediates::Bytes16:
      TRY(m_reader.take(16));
      return success();
    }
    return success();
  }

  Result<void> zeroByte() {
    TRY_ASSIGN(uint8_t b, m_reader.u8());
    if (b != 0)
      return fail(ErrorCode::ZeroByteExpected);
    return success();
  }

  Result<void> valueType() {
    TRY_ASSIGN(uint8_t b, m_reader.u8());
    switch (ValType(b)) {
    case ValType::I32:
    case ValType::I64:
    case ValType::F32:
    case ValType::F64:
    case ValType::V128:
    case ValType::FuncRef:
    case ValType::ExternRef:
      return success();
    }
    return fail(ErrorCode::MalformedValueType, "malformed value type");
  }

  Result<void> blockType() {
    TRY_ASSIGN(int64_t bt, m_reader.s33());
    if (bt < 0 && bt != -64) {
      switch (ValType(uint8_t(bt & 0x7f))) {
      case ValType::I32:
      case ValType::I64:
      case ValType::F32:
      case ValType::F64:
      case ValType::V128:
      case ValType::FuncRef:
      case ValType::ExternRef:
        return success();
      }
      return fail(ErrorCode::MalformedValueType, "malformed value type");
    }
    return success();
  }

  Result<void> instruction(uint8_t op) {
    if (kSimple[op] != Immediates::Unknown)
      return skip(kSimple[op]);
    switch (op) {
    case 0x00: // unreachable
    case 0x01: // nop
    case 0x0f: // return
    case 0x1a: // drop
    case 0x1b: // select
    case 0xd1: // ref.is_null
      return success();
    case 0x02: // block
    case 0x03: // loop
    case 0x04: // if
      TRY(blockType());
      m_blocks.push_back(op);
      return success();
    case 0x05: // else
      if (m_blocks.back() != 0x04)
        return illegal("else without a matching if");
      m_blocks.back() = 0x05;
      return success();
    case 0x0b: // end
      m_blocks.pop_back();
      return success();
    case 0x0c: // br
    case 0x0d: // br_if
    case 0x10: // call
    case 0x20: // local.get
    case 0x21: // local.set
    case 0x22: // local.tee
    case 0x23: // global.get
    case 0x24: // global.set
    case 0x25: // table.get
    case 0x26: // table.set
    case 0xd2: // ref.func
      TRY(m_reader.u32());
      return success();
    case 0x0e: { // br_table
      TRY_ASSIGN(uint32_t count, m_reader.u32());
      if (count > m_reader.remaining())
        return fail(ErrorCode::UnexpectedEnd, "unexpected end: br_table target count");
      for (uint64_t i = 0; i <= count; ++i)
        TRY(m_reader.u32());
      return success();
    }
    case 0x11: // call_indirect
      TRY(m_reader.u32());
      TRY(m_reader.u32());
      return success();
    case 0x1c: { // select t*
      TRY_ASSIGN(uint32_t n, m_reader.u32());
      if (n > m_reader.remaining())
        return fail(ErrorCode::UnexpectedEnd, "unexpected end: select types");
      for (uint32_t i = 0; i < n; ++i)
        TRY(valueType());
      return success();
    }
    case 0x3f: // memory.size
    case 0x40: // memory.grow
      return zeroByte();
    case 0x41:
      TRY(m_reader.s32());
      return success();
    case 0x42:
      TRY(m_reader.s64());
      return success();
    case 0x43:
      TRY(m_reader.fixedU32());
      return success();
    case 0x44:
      TRY(m_reader.fixedU64());
      return success();
    case 0xd0: { // ref.null
      TRY_ASSIGN(uint8_t t, m_reader.u8());
      if (!isRefType(ValType(t)))
        return fail(ErrorCode::MalformedReferenceType, "malformed reference type");
      return success();
    }
    case 0xfc:
      return prefixed();
    case 0xfd: {
      TRY_ASSIGN(uint32_t sub, m_reader.u32());
      if (sub >= kSimd.size() || kSimd[sub] == Immediates::Unknown)
        return illegal("0xfd " + std::to_string(sub));
      return skip(kSimd[sub]);
    }
    default:
      return illegal("0x" + hexByte(op));
    }
  }

  Result<void> prefixed() {
    TRY_ASSIGN(uint32_t sub, m_reader.u32());
    switch (sub) {
#define SAT_CASE(name, text, code, in, out) case code:
      WASM_SAT_UNARY(SAT_CASE)
#undef SAT_CASE
      return success();
    case 8: // memory.init
      TRY(m_reader.u32());
      return zeroByte();
    case 9:  // data.drop
    case 13: // elem.drop
    case 15: // table.grow
    case 16: // table.size
    case 17: // table.fill
      TRY(m_reader.u32());
      return success();
    case 10: // memory.copy
      TRY(zeroByte());
      return zeroByte();
    case 11: // memory.fill
      return zeroByte();
    case 12: // table.init
    case 14: // table.copy
      TRY(m_reader.u32());
      TRY(m_reader.u32());
      return success();
    default:
      return illegal("0xfc " + std::to_string(sub));
    }
  }

  const Module& m_module;
  FuncIndex m_index;
  BinaryReader m_reader;
  std::vector<uint8_t> m_blocks; ///< Open blocks' opcodes; 0 for the body.
  uint32_t m_at = 0;             ///< Offset of the current instruction.
};

} // namespace

std::optional<Error> findMalformedBody(const Module& module) {
  constexpr uint64_t kMaxLocals = 1u << 20; // As FunctionCompiler.
  for (size_t i = 0; i < module.codes.size() && i < module.functions.size(); ++i) {
    FuncIndex index = module.numImportedFuncs + uint32_t(i);
    const Code& code = module.codes[i];
    if (module.functions[i] < module.types.size() &&
        code.totalLocals + module.types[module.functions[i]].params.size() > kMaxLocals)
      return Error(ErrorCode::TooManyLocals, "too many locals", code.whole.begin, index);
    Result<void> r = Skimmer(module, index, code).run();
    if (!r)
      return std::move(r).error();
  }
  return std::nullopt;
}

} // namespace wasmscope::runtime
