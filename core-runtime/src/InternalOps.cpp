// Instruction lengths and names of the internal instruction set, for the
// compiler's bookkeeping, probes and the disassembler.
#include "InternalOps.h"

#include <array>

namespace wasmscope::runtime {
namespace {

// Words taken by an immediate of each integer type.
constexpr uint32_t kI32 = 1, kI64 = 2;

struct OpInfo {
  const char* name;
  uint32_t words; ///< Including the opcode word.
};

constexpr std::array<OpInfo, kNumOps> makeTable() {
  std::array<OpInfo, kNumOps> t{};
  uint32_t i = 0;
#define X(name, n) t[i++] = {#name, 1 + n};
  INTERNAL_SPECIAL_OPS(X)
#undef X
#define X(name, text, code, in, out) t[i++] = {text, 3};
#define XB(name, text, code, in, out) t[i++] = {text, 4};
#define XI(name, text, code, in, out)                                          \
  t[i++] = {text, 4};                                                          \
  t[i++] = {text "_imm", 3 + k##in};
  WASM_UNARY(X) WASM_BINARY(XI) WASM_FLOAT_BINARY(XB) WASM_TRAPPING_UNARY(X)
  WASM_TRAPPING_BINARY(XB) WASM_SAT_UNARY(X)
#undef X
#undef XB
#undef XI
#define X(name, text, code, type, bytes, ctype) t[i++] = {text, 4};
  WASM_LOAD(X) WASM_STORE(X)
#undef X
#define X(cmp)                                                                 \
  t[i++] = {"br_if_" #cmp, 4};                                                 \
  t[i++] = {"br_if_" #cmp "_imm", 4};
  INTERNAL_FUSED_COMPARES(X)
#undef X
#define X(name, n) t[i++] = {#name, 1 + n};
  INTERNAL_SIMD_OPS(X)
#undef X
  // Words: opcode, destination (if any), operands, immediates.
#define X1(name, text, code, ...) t[i++] = {text, 3};
#define X2(name, text, code, ...) t[i++] = {text, 4};
#define X3(name, text, code, ...) t[i++] = {text, 5};
#define X5(name, text, code, ...) t[i++] = {text, 6};
  WASM_SIMD_UNARY(X1)         // d a
  WASM_SIMD_BINARY(X2)        // d a b
  WASM_SIMD_SHIFT(X2)         // d a n
  WASM_SIMD_TERNARY(X3)       // d a b c
  WASM_SIMD_EXTRACT_LANE(X2)  // d a lane
  WASM_SIMD_REPLACE_LANE(X3)  // d a x lane
  WASM_SIMD_LOAD(X2)          // d addr offset
  WASM_SIMD_LOAD_LANE(X5)     // d addr v offset lane
  WASM_SIMD_STORE_LANE(X3)    // addr v offset lane
#undef X1
#undef X2
#undef X3
#undef X5
  // A fused pair is measured and named as its first instruction.
#define X(a, b) t[i++] = t[uint32_t(Op::a)];
  INTERNAL_FUSED_PAIRS(X)
#undef X
#define X(a, b, word) t[i++] = t[uint32_t(Op::a)];
  INTERNAL_CHAINED_PAIRS(X)
#undef X
  return t;
}

constexpr std::array<Op, kNumOps> makeUnfused() {
  std::array<Op, kNumOps> t{};
  for (uint32_t i = 0; i < kNumOps; ++i)
    t[i] = Op(i);
#define X(a, b) t[uint32_t(Op::a##_##b)] = Op::a;
  INTERNAL_FUSED_PAIRS(X)
#undef X
#define X(a, b, word) t[uint32_t(Op::a##_##b##_##word)] = Op::a;
  INTERNAL_CHAINED_PAIRS(X)
#undef X
  return t;
}

constexpr std::array<OpInfo, kNumOps> kOpInfo = makeTable();
constexpr std::array<Op, kNumOps> kUnfused = makeUnfused();
static_assert(kOpInfo[uint32_t(Op::V128Store64Lane)].words == 5, "table and enum out of step");
static_assert(kOpInfo[uint32_t(Op::Copy_Copy)].words == 3, "table and enum out of step");
static_assert(kOpInfo[uint32_t(Op::BrIfI32GeUImm)].words == 4, "table and enum out of step");
static_assert(kOpInfo[uint32_t(Op::I8x16Shuffle)].words == 8, "table and enum out of step");

} // namespace

uint32_t instructionWords(const uint32_t* ip) {
  Op op = Op(ip[0]);
  if (op == Op::BrTable)
    return 3 + ip[2] + 1;
  return kOpInfo[ip[0]].words;
}

const char* opName(Op op) { return kOpInfo[uint32_t(op)].name; }

Op unfusedOp(Op op) { return uint32_t(op) < kNumOps ? kUnfused[uint32_t(op)] : op; }

Op fusedOp(Op a, Op b) {
#define X(first, second)                                                       \
  if (a == Op::first && b == Op::second)                                       \
    return Op::first##_##second;
  INTERNAL_FUSED_PAIRS(X)
#undef X
  return Op::Count;
}

Op superinstructionFor(const uint32_t* first, const uint32_t* second) {
  Op a = Op(first[0]), b = Op(second[0]);
  // Every first instruction listed writes its result to the slot in its
  // first operand word.
#define X(fa, fb, word)                                                        \
  if (a == Op::fa && b == Op::fb && second[word] == first[1])                  \
    return Op::fa##_##fb##_##word;
  INTERNAL_CHAINED_PAIRS(X)
#undef X
  return fusedOp(a, b);
}

} // namespace wasmscope::runtime
