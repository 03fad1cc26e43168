// Validation and code generation for the 0xFD-prefixed fixed-width SIMD
// instructions (spec 3.3.3 "vector instructions", 5.4.8 binary format). The
// instruction families and their types come from the WASM_SIMD_* lists of
// Opcodes.def; v128.const, i8x16.shuffle and the lane immediates are read
// here. A v128 operand is named by its first slot (FunctionCompiler.h).
#include "BinaryReader.h"
#include "FunctionCompiler.h"

#include <cstring>

namespace wasmscope::runtime {

Result<void> FunctionCompiler::emitOperation(Op op, std::initializer_list<ValType> operands,
                                             std::optional<ValType> result,
                                             std::initializer_list<uint32_t> immediates) {
  StackEntry popped[3];
  size_t n = operands.size();
  for (size_t i = n; i-- > 0;) {
    TRY_ASSIGN(popped[i], pop(operands.begin()[i]));
  }
  if (emitting()) {
    uint32_t d = nextSlot();
    uint32_t slots[3];
    for (size_t i = 0; i < n; ++i)
      slots[i] = operandSlot(popped[i]);
    emitOp(op);
    if (result)
      emitWord(d);
    for (size_t i = 0; i < n; ++i)
      emitWord(slots[i]);
    for (uint32_t imm : immediates)
      emitWord(imm);
    // A local.set right after may retarget the result to the local.
    if (result)
      m_lastDst = pc() - uint32_t(1 + n + immediates.size());
  }
  if (result)
    push(*result);
  return success();
}

Result<void> FunctionCompiler::compileSimd(BinaryReader& r) {
  TRY_ASSIGN(uint32_t sub, r.u32());
  constexpr ValType V128 = ValType::V128, I32 = ValType::I32;
  auto laneIndex = [&](uint32_t lanes) -> Result<uint32_t> {
    TRY_ASSIGN(uint8_t lane, r.u8());
    if (lane >= lanes)
      return fail(ErrorCode::InvalidLaneIndex,
                  "invalid lane index " + std::to_string(lane) + " (" + std::to_string(lanes) +
                      " lanes)");
    return uint32_t(lane);
  };

  switch (sub) {
#define UNARY(name, text, code, in, out)                                       \
  case code:                                                                   \
    return emitOperation(Op::name, {ValType::in}, ValType::out, {});
    WASM_SIMD_UNARY(UNARY)
#undef UNARY
#define BINARY(name, text, code)                                               \
  case code:                                                                   \
    return emitOperation(Op::name, {V128, V128}, V128, {});
    WASM_SIMD_BINARY(BINARY)
#undef BINARY
#define SHIFT(name, text, code)                                                \
  case code:                                                                   \
    return emitOperation(Op::name, {V128, I32}, V128, {});
    WASM_SIMD_SHIFT(SHIFT)
#undef SHIFT
#define TERNARY(name, text, code)                                              \
  case code:                                                                   \
    return emitOperation(Op::name, {V128, V128, V128}, V128, {});
    WASM_SIMD_TERNARY(TERNARY)
#undef TERNARY
#define EXTRACT(name, text, code, out, lanes)                                  \
  case code: {                                                                 \
    TRY_ASSIGN(uint32_t lane, laneIndex(lanes));                               \
    return emitOperation(Op::name, {V128}, ValType::out, {lane});              \
  }
    WASM_SIMD_EXTRACT_LANE(EXTRACT)
#undef EXTRACT
#define REPLACE(name, text, code, in, lanes)                                   \
  case code: {                                                                 \
    TRY_ASSIGN(uint32_t lane, laneIndex(lanes));                               \
    return emitOperation(Op::name, {V128, ValType::in}, V128, {lane});         \
  }
    WASM_SIMD_REPLACE_LANE(REPLACE)
#undef REPLACE
#define LOAD(name, text, code, bytes)                                          \
  case code: {                                                                 \
    TRY_ASSIGN(uint32_t offset, readMemArg(r, bytes));                         \
    return emitOperation(Op::name, {I32}, V128, {offset});                     \
  }
    WASM_SIMD_LOAD(LOAD)
#undef LOAD
#define LOAD_LANE(name, text, code, bytes)                                     \
  case code: {                                                                 \
    TRY_ASSIGN(uint32_t offset, readMemArg(r, bytes));                         \
    TRY_ASSIGN(uint32_t lane, laneIndex(16 / bytes));                          \
    return emitOperation(Op::name, {I32, V128}, V128, {offset, lane});         \
  }
    WASM_SIMD_LOAD_LANE(LOAD_LANE)
#undef LOAD_LANE
#define STORE_LANE(name, text, code, bytes)                                    \
  case code: {                                                                 \
    TRY_ASSIGN(uint32_t offset, readMemArg(r, bytes));                         \
    TRY_ASSIGN(uint32_t lane, laneIndex(16 / bytes));                          \
    return emitOperation(Op::name, {I32, V128}, std::nullopt, {offset, lane}); \
  }
    WASM_SIMD_STORE_LANE(STORE_LANE)
#undef STORE_LANE

  case 11: { // v128.store
    TRY_ASSIGN(uint32_t offset, readMemArg(r, 16));
    return emitOperation(Op::V128Store, {I32, V128}, std::nullopt, {offset});
  }
  case 12: { // v128.const: 16 immediate bytes, deferred like any constant
    uint8_t bytes[16];
    for (uint8_t& b : bytes) {
      TRY_ASSIGN(b, r.u8());
    }
    StackEntry e{V128, StackEntry::Kind::Const};
    std::memcpy(&e.bits, bytes, 8);
    std::memcpy(&e.high, bytes + 8, 8);
    pushEntry(e);
    return success();
  }
  case 13: { // i8x16.shuffle: 16 lane indices into the 32 lanes of both operands
    uint8_t lanes[16];
    for (uint8_t& lane : lanes) {
      TRY_ASSIGN(uint32_t l, laneIndex(32));
      lane = uint8_t(l);
    }
    uint32_t words[4];
    std::memcpy(words, lanes, 16);
    return emitOperation(Op::I8x16Shuffle, {V128, V128}, V128,
                         {words[0], words[1], words[2], words[3]});
  }
  default:
    return fail(ErrorCode::IllegalOpcode, "illegal opcode 0xfd " + std::to_string(sub));
  }
}

} // namespace wasmscope::runtime
