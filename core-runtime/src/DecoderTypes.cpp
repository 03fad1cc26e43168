// Decoding of types (spec 5.3), constant expressions (5.4.9) and the
// sections that declare a module's entities: type, import, function, table,
// memory, global, export and start (5.5.4 to 5.5.11).
#include "DecoderSections.h"

#include "wasmscope/runtime/Opcodes.def"

#include <array>

namespace wasmscope::runtime::decoder {

namespace {

// Which single-byte opcodes and 0xFC sub-opcodes exist, from the opcode
// table, so a constant expression can tell a non-constant instruction
// ("constant expression required") from garbage ("illegal opcode").
#define WS_MARK_OPCODE(Name, text, opcode, ...) t[opcode] = true;

constexpr std::array<bool, 256> makeKnownOpcodes() {
  std::array<bool, 256> t{};
  WASM_UNARY(WS_MARK_OPCODE)
  WASM_BINARY(WS_MARK_OPCODE)
  WASM_FLOAT_BINARY(WS_MARK_OPCODE)
  WASM_TRAPPING_UNARY(WS_MARK_OPCODE)
  WASM_TRAPPING_BINARY(WS_MARK_OPCODE)
  WASM_LOAD(WS_MARK_OPCODE)
  WASM_STORE(WS_MARK_OPCODE)
  WASM_CONTROL(WS_MARK_OPCODE)
  return t;
}

constexpr std::array<bool, 256> makeKnownPrefixed() {
  std::array<bool, 256> t{};
  WASM_SAT_UNARY(WS_MARK_OPCODE)
  WASM_PREFIXED(WS_MARK_OPCODE)
  return t;
}


constexpr std::array<bool, 256> makeKnownSimd() {
  std::array<bool, 256> t{};
  WASM_SIMD_UNARY(WS_MARK_OPCODE)
  WASM_SIMD_BINARY(WS_MARK_OPCODE)
  WASM_SIMD_SHIFT(WS_MARK_OPCODE)
  WASM_SIMD_TERNARY(WS_MARK_OPCODE)
  WASM_SIMD_EXTRACT_LANE(WS_MARK_OPCODE)
  WASM_SIMD_REPLACE_LANE(WS_MARK_OPCODE)
  WASM_SIMD_LOAD(WS_MARK_OPCODE)
  WASM_SIMD_LOAD_LANE(WS_MARK_OPCODE)
  WASM_SIMD_STORE_LANE(WS_MARK_OPCODE)
  WASM_SIMD_SPECIAL(WS_MARK_OPCODE)
  return t;
}

constexpr std::array<bool, 256> kKnownOpcodes = makeKnownOpcodes();
constexpr std::array<bool, 256> kKnownPrefixed = makeKnownPrefixed();
constexpr std::array<bool, 256> kKnownSimd = makeKnownSimd();
constexpr uint8_t kPrefixFC = 0xfc;
constexpr uint8_t kPrefixFD = 0xfd;
constexpr uint32_t kV128Const = 12;

#undef WS_MARK_OPCODE

/// The reference interpreter reads the function type form and number types
/// as one-byte signed LEB128s, so a byte with its top bit set is "integer
/// representation too long" rather than an unknown type (binary.wast).
Error overlongTypeByte(const BinaryReader& r) {
  return Error(ErrorCode::IntegerRepresentationTooLong, {}, r.pos());
}

Result<std::vector<ValType>> readResultType(BinaryReader& r) {
  TRY_ASSIGN(uint32_t count, r.length());
  std::vector<ValType> types;
  reserveFor(types, count, r);
  for (uint32_t i = 0; i < count; ++i) {
    TRY_ASSIGN(ValType t, readValType(r));
    types.push_back(t);
  }
  return types;
}

Result<TableType> readTableType(BinaryReader& r) {
  TableType type;
  TRY_ASSIGN(type.elemType, readRefType(r));
  TRY_ASSIGN(type.limits, readLimits(r));
  return type;
}

Result<GlobalType> readGlobalType(BinaryReader& r) {
  GlobalType type;
  TRY_ASSIGN(type.type, readValType(r));
  size_t pos = r.pos();
  TRY_ASSIGN(uint8_t mut, r.u8());
  if (mut > 1)
    return Error(ErrorCode::MalformedMutability, {}, pos);
  type.isMutable = mut == 1;
  return type;
}

} // namespace

// Spec 5.3.3 and 5.3.4 (number and reference types).
Result<ValType> readValType(BinaryReader& r) {
  size_t pos = r.pos();
  TRY_ASSIGN(uint8_t b, r.u8());
  switch (ValType(b)) {
  case ValType::I32:
  case ValType::I64:
  case ValType::F32:
  case ValType::F64:
  case ValType::V128:
  case ValType::FuncRef:
  case ValType::ExternRef:
    return ValType(b);
  }
  if (b & 0x80)
    return overlongTypeByte(r);
  return Error(ErrorCode::MalformedValueType, {}, pos);
}

Result<ValType> readRefType(BinaryReader& r) {
  size_t pos = r.pos();
  TRY_ASSIGN(uint8_t b, r.u8());
  if (b != uint8_t(ValType::FuncRef) && b != uint8_t(ValType::ExternRef))
    return Error(ErrorCode::MalformedReferenceType, {}, pos);
  return ValType(b);
}

// Spec 5.3.7. The flag is read as a one-bit LEB128, as the reference
// interpreter does, so 0x02 is "integer too large" and 0x81 0x00 is
// "integer representation too long".
Result<Limits> readLimits(BinaryReader& r) {
  TRY_ASSIGN(uint32_t hasMax, r.u1());
  Limits limits;
  TRY_ASSIGN(limits.min, r.u32());
  if (hasMax) {
    TRY_ASSIGN(uint32_t max, r.u32());
    limits.max = max;
  }
  return limits;
}

Result<ConstExpr> readConstExpr(BinaryReader& r) {
  ConstExpr expr;
  expr.offset = uint32_t(r.pos());
  uint32_t count = 0;
  for (;;) {
    size_t opPos = r.pos();
    TRY_ASSIGN(uint8_t op, r.u8());
    ConstExpr instr;
    instr.offset = expr.offset;
    switch (op) {
    case 0x0b: // end
      if (count != 1)
        return Error(ErrorCode::TypeMismatch, {}, expr.offset);
      return expr;
    case 0x41: { // i32.const
      TRY_ASSIGN(int32_t v, r.s32());
      instr.kind = ConstExpr::Kind::I32;
      instr.bits = uint32_t(v);
      break;
    }
    case 0x42: { // i64.const
      TRY_ASSIGN(int64_t v, r.s64());
      instr.kind = ConstExpr::Kind::I64;
      instr.bits = uint64_t(v);
      break;
    }
    case 0x43: { // f32.const
      TRY_ASSIGN(uint32_t v, r.fixedU32());
      instr.kind = ConstExpr::Kind::F32;
      instr.bits = v;
      break;
    }
    case 0x44: { // f64.const
      TRY_ASSIGN(instr.bits, r.fixedU64());
      instr.kind = ConstExpr::Kind::F64;
      break;
    }
    case 0xd0: { // ref.null t
      TRY_ASSIGN(instr.refType, readRefType(r));
      instr.kind = ConstExpr::Kind::RefNull;
      break;
    }
    case 0xd2: { // ref.func x
      TRY_ASSIGN(uint32_t x, r.u32());
      instr.kind = ConstExpr::Kind::RefFunc;
      instr.bits = x;
      break;
    }
    case 0x23: { // global.get x
      TRY_ASSIGN(uint32_t x, r.u32());
      instr.kind = ConstExpr::Kind::GlobalGet;
      instr.bits = x;
      break;
    }
    case 0x05: // else: ends the instruction sequence, but is not `end`.
      return Error(ErrorCode::EndOpcodeExpected, {}, opPos);
    case kPrefixFC: {
      TRY_ASSIGN(uint32_t sub, r.u32());
      if (sub < kKnownPrefixed.size() && kKnownPrefixed[sub])
        return Error(ErrorCode::ConstantExpressionRequired, {}, opPos);
      return Error(ErrorCode::IllegalOpcode, {}, opPos);
    }
    case kPrefixFD: {
      TRY_ASSIGN(uint32_t sub, r.u32());
      if (sub != kV128Const) {
        if (sub < kKnownSimd.size() && kKnownSimd[sub])
          return Error(ErrorCode::ConstantExpressionRequired, {}, opPos);
        return Error(ErrorCode::IllegalOpcode, {}, opPos);
      }
      // v128.const: 16 bytes, lane 0 first.
      TRY_ASSIGN(instr.bits, r.fixedU64());
      TRY_ASSIGN(instr.high, r.fixedU64());
      instr.kind = ConstExpr::Kind::V128;
      break;
    }
    default:
      if (kKnownOpcodes[op])
        return Error(ErrorCode::ConstantExpressionRequired, {}, opPos);
      return Error(ErrorCode::IllegalOpcode, {}, opPos);
    }
    if (count++ == 0)
      expr = instr;
  }
}

// Spec 5.5.4.
Result<void> readTypeSection(BinaryReader& r, Module& m) {
  TRY_ASSIGN(uint32_t count, r.length());
  reserveFor(m.types, count, r);
  for (uint32_t i = 0; i < count; ++i) {
    size_t pos = r.pos();
    TRY_ASSIGN(uint8_t form, r.u8());
    if (form & 0x80)
      return overlongTypeByte(r);
    if (form != 0x60)
      return Error(ErrorCode::MalformedFunctionType, {}, pos);
    FuncType type;
    TRY_ASSIGN(type.params, readResultType(r));
    TRY_ASSIGN(type.results, readResultType(r));
    m.types.push_back(std::move(type));
  }
  return success();
}

// Spec 5.5.5.
Result<void> readImportSection(BinaryReader& r, Module& m) {
  TRY_ASSIGN(uint32_t count, r.length());
  reserveFor(m.imports, count, r);
  for (uint32_t i = 0; i < count; ++i) {
    Import imp;
    imp.byteOffset = uint32_t(r.pos());
    TRY_ASSIGN(imp.module, r.name());
    TRY_ASSIGN(imp.name, r.name());
    size_t kindPos = r.pos();
    TRY_ASSIGN(uint8_t kind, r.u8());
    uint32_t position = uint32_t(m.imports.size());
    switch (kind) {
    case 0x00: {
      TRY_ASSIGN(imp.funcType, r.u32());
      m.funcImports.push_back(position);
      ++m.numImportedFuncs;
      break;
    }
    case 0x01: {
      TRY_ASSIGN(imp.table, readTableType(r));
      m.tableImports.push_back(position);
      ++m.numImportedTables;
      break;
    }
    case 0x02: {
      TRY_ASSIGN(imp.memory.limits, readLimits(r));
      m.memoryImports.push_back(position);
      ++m.numImportedMemories;
      break;
    }
    case 0x03: {
      TRY_ASSIGN(imp.global, readGlobalType(r));
      m.globalImports.push_back(position);
      ++m.numImportedGlobals;
      break;
    }
    default:
      return Error(ErrorCode::MalformedImportKind, {}, kindPos);
    }
    imp.kind = ExternKind(kind);
    m.imports.push_back(std::move(imp));
  }
  return success();
}

// Spec 5.5.6.
Result<void> readFunctionSection(BinaryReader& r, Module& m) {
  TRY_ASSIGN(uint32_t count, r.length());
  reserveFor(m.functions, count, r);
  for (uint32_t i = 0; i < count; ++i) {
    TRY_ASSIGN(TypeIndex type, r.u32());
    m.functions.push_back(type);
  }
  return success();
}

// Spec 5.5.7.
Result<void> readTableSection(BinaryReader& r, Module& m) {
  TRY_ASSIGN(uint32_t count, r.length());
  reserveFor(m.tables, count, r);
  for (uint32_t i = 0; i < count; ++i) {
    TRY_ASSIGN(TableType type, readTableType(r));
    m.tables.push_back(type);
  }
  return success();
}

// Spec 5.5.8.
Result<void> readMemorySection(BinaryReader& r, Module& m) {
  TRY_ASSIGN(uint32_t count, r.length());
  reserveFor(m.memories, count, r);
  for (uint32_t i = 0; i < count; ++i) {
    MemoryType type;
    TRY_ASSIGN(type.limits, readLimits(r));
    m.memories.push_back(type);
  }
  return success();
}

// Spec 5.5.9.
Result<void> readGlobalSection(BinaryReader& r, Module& m) {
  TRY_ASSIGN(uint32_t count, r.length());
  reserveFor(m.globals, count, r);
  for (uint32_t i = 0; i < count; ++i) {
    Global global;
    TRY_ASSIGN(global.type, readGlobalType(r));
    TRY_ASSIGN(global.init, readConstExpr(r));
    m.globals.push_back(global);
  }
  return success();
}

// Spec 5.5.10.
Result<void> readExportSection(BinaryReader& r, Module& m) {
  TRY_ASSIGN(uint32_t count, r.length());
  reserveFor(m.exports, count, r);
  for (uint32_t i = 0; i < count; ++i) {
    Export exp;
    exp.byteOffset = uint32_t(r.pos());
    TRY_ASSIGN(exp.name, r.name());
    size_t kindPos = r.pos();
    TRY_ASSIGN(uint8_t kind, r.u8());
    if (kind > 3)
      return Error(ErrorCode::MalformedExportKind, {}, kindPos);
    exp.kind = ExternKind(kind);
    TRY_ASSIGN(exp.index, r.u32());
    m.exports.push_back(std::move(exp));
  }
  return success();
}

// Spec 5.5.11.
Result<void> readStartSection(BinaryReader& r, Module& m) {
  TRY_ASSIGN(FuncIndex start, r.u32());
  m.start = start;
  return success();
}

} // namespace wasmscope::runtime::decoder
