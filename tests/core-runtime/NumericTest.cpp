// Unit tests for Numeric.h: the edge cases of every numeric instruction
// family (spec section 4.3), compared bit for bit. Values marked "spec" come
// from the spec test suite (conversions.wast, f32.wast, ...), which the spec
// driver also runs end to end.
#include "wasmscope/runtime/Numeric.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

namespace wasmscope::runtime {
namespace {

namespace num = numeric;

// The value types as Opcodes.def names them.
using I32 = uint32_t;
using I64 = uint64_t;
using F32 = float;
using F64 = double;

constexpr uint32_t kI32Min = 0x8000'0000u;
constexpr uint32_t kI32Max = 0x7fff'ffffu;
constexpr uint64_t kI64Min = 0x8000'0000'0000'0000u;
constexpr uint64_t kI64Max = 0x7fff'ffff'ffff'ffffu;

constexpr float f32(uint32_t bits) { return std::bit_cast<float>(bits); }
constexpr double f64(uint64_t bits) { return std::bit_cast<double>(bits); }
constexpr uint32_t bitsOf(float f) { return std::bit_cast<uint32_t>(f); }
constexpr uint64_t bitsOf(double f) { return std::bit_cast<uint64_t>(f); }

constexpr float kF32Inf = std::numeric_limits<float>::infinity();
constexpr double kF64Inf = std::numeric_limits<double>::infinity();
// Canonical NaNs (only the quiet bit in the payload) and signalling NaNs
// with the spec tests' favourite payloads.
constexpr float kF32Nan = f32(0x7fc0'0000u);
constexpr float kF32NegNan = f32(0xffc0'0000u);
constexpr float kF32SNan = f32(0x7fa0'0000u);
constexpr float kF32NegSNan = f32(0xffa0'0000u);
constexpr double kF64Nan = f64(0x7ff8'0000'0000'0000u);
constexpr double kF64NegNan = f64(0xfff8'0000'0000'0000u);
constexpr double kF64SNan = f64(0x7ff4'0000'0000'0000u);
constexpr double kF64NegSNan = f64(0xfff4'0000'0000'0000u);

/// Hides a value from the optimizer, as an interpreter register does, so that
/// constant folding (which ignores signalling NaNs) cannot stand in for the
/// function under test.
template <typename T> T opaque(T v) {
  volatile T hidden = v;
  return hidden;
}

/// What a float result must be: exact bits, or a NaN of the spec's two
/// classes (nan:canonical, nan:arithmetic).
enum class Expect : uint8_t { Bits, CanonicalNan, ArithmeticNan };

template <typename Float> bool isCanonicalNan(Float f) {
  if constexpr (sizeof(Float) == 4)
    return (bitsOf(f) & 0x7fff'ffffu) == 0x7fc0'0000u;
  else
    return (bitsOf(f) & ~kI64Min) == 0x7ff8'0000'0000'0000u;
}

template <typename Float> bool isArithmeticNan(Float f) {
  if constexpr (sizeof(Float) == 4)
    return (bitsOf(f) & 0x7fc0'0000u) == 0x7fc0'0000u;
  else
    return (bitsOf(f) & 0x7ff8'0000'0000'0000u) == 0x7ff8'0000'0000'0000u;
}

template <typename Float> void expectFloat(Float got, Expect kind, Float want) {
  switch (kind) {
  case Expect::Bits:
    EXPECT_EQ(bitsOf(got), bitsOf(want))
        << std::hexfloat << got << " vs " << want;
    break;
  case Expect::CanonicalNan:
    EXPECT_TRUE(isCanonicalNan(got)) << std::hex << bitsOf(got);
    break;
  case Expect::ArithmeticNan:
    EXPECT_TRUE(isArithmeticNan(got)) << std::hex << bitsOf(got);
    break;
  }
}

// ---------------------------------------------------------------------------
// Every instruction of the opcode table has a function of the right type.

#define WS_CHECK_UNARY(Name, text, code, In, Out)                              \
  static_assert(std::is_same_v<decltype(&num::Name), Out (*)(In)>, text);
#define WS_CHECK_BINARY(Name, text, code, In, Out)                             \
  static_assert(std::is_same_v<decltype(&num::Name), Out (*)(In, In)>, text);
#define WS_CHECK_TRAPPING_UNARY(Name, text, code, In, Out)                     \
  static_assert(std::is_same_v<decltype(&num::Name), ErrorCode (*)(In, Out&)>, \
                text);
#define WS_CHECK_TRAPPING_BINARY(Name, text, code, In, Out)                    \
  static_assert(                                                               \
      std::is_same_v<decltype(&num::Name), ErrorCode (*)(In, In, Out&)>,       \
      text);
#include "wasmscope/runtime/Opcodes.def"
WASM_UNARY(WS_CHECK_UNARY)
WASM_SAT_UNARY(WS_CHECK_UNARY)
WASM_BINARY(WS_CHECK_BINARY)
WASM_FLOAT_BINARY(WS_CHECK_BINARY)
WASM_TRAPPING_UNARY(WS_CHECK_TRAPPING_UNARY)
WASM_TRAPPING_BINARY(WS_CHECK_TRAPPING_BINARY)
#undef WS_CHECK_UNARY
#undef WS_CHECK_BINARY
#undef WS_CHECK_TRAPPING_UNARY
#undef WS_CHECK_TRAPPING_BINARY

TEST(NumericTest, NoTrapSentinelIsNotAnArithmeticTrap) {
  EXPECT_NE(num::kNoTrap, ErrorCode::IntegerDivideByZero);
  EXPECT_NE(num::kNoTrap, ErrorCode::IntegerOverflow);
  EXPECT_NE(num::kNoTrap, ErrorCode::InvalidConversionToInteger);
}

// ---------------------------------------------------------------------------
// Integer division and remainder.

template <typename Int> struct DivRow {
  ErrorCode (*fn)(Int, Int, Int&);
  const char* name;
  Int a, b;
  ErrorCode trap;
  Int out;
};

template <typename Int>
void checkDivRows(const std::vector<DivRow<Int>>& rows) {
  for (const DivRow<Int>& row : rows) {
    SCOPED_TRACE(::testing::Message() << row.name << std::hex << "(0x" << row.a
                                      << ", 0x" << row.b << ")");
    Int out = 0x5a;
    ErrorCode trap = row.fn(opaque(row.a), opaque(row.b), out);
    EXPECT_EQ(trap, row.trap);
    if (row.trap == num::kNoTrap) {
      EXPECT_EQ(out, row.out);
    } else {
      EXPECT_EQ(out, Int(0x5a)) << "a trap must leave the result untouched";
    }
  }
}

TEST(NumericTest, I32DivisionAndRemainder) {
  constexpr ErrorCode ok = num::kNoTrap;
  constexpr ErrorCode zero = ErrorCode::IntegerDivideByZero;
  constexpr ErrorCode overflow = ErrorCode::IntegerOverflow;
  constexpr uint32_t m1 = 0xffff'ffffu; // -1
  checkDivRows<uint32_t>({
      {num::I32DivS, "div_s", 7, 2, ok, 3},
      {num::I32DivS, "div_s", uint32_t(-7), 2, ok, uint32_t(-3)}, // toward 0
      {num::I32DivS, "div_s", 7, uint32_t(-2), ok, uint32_t(-3)},
      {num::I32DivS, "div_s", kI32Min, m1, overflow, 0},
      {num::I32DivS, "div_s", kI32Min, 1, ok, kI32Min},
      {num::I32DivS, "div_s", kI32Min, 2, ok, 0xc000'0000u},
      {num::I32DivS, "div_s", kI32Max, m1, ok, kI32Min + 1},
      {num::I32DivS, "div_s", 1, 0, zero, 0},
      {num::I32DivS, "div_s", 0, 0, zero, 0},
      {num::I32DivS, "div_s", kI32Min, 0, zero, 0},
      {num::I32DivU, "div_u", m1, 2, ok, kI32Max},
      {num::I32DivU, "div_u", kI32Min, m1, ok, 0},
      {num::I32DivU, "div_u", kI32Min, 2, ok, 0x4000'0000u},
      {num::I32DivU, "div_u", 1, 0, zero, 0},
      {num::I32RemS, "rem_s", kI32Min, m1, ok, 0},
      {num::I32RemS, "rem_s", 5, m1, ok, 0},
      {num::I32RemS, "rem_s", uint32_t(-7), 2, ok, m1}, // sign of dividend
      {num::I32RemS, "rem_s", 7, uint32_t(-2), ok, 1},
      {num::I32RemS, "rem_s", kI32Min, 2, ok, 0},
      {num::I32RemS, "rem_s", kI32Min, 3, ok, uint32_t(-2)},
      {num::I32RemS, "rem_s", 1, 0, zero, 0},
      {num::I32RemU, "rem_u", kI32Min, m1, ok, kI32Min},
      {num::I32RemU, "rem_u", m1, 10, ok, 5},
      {num::I32RemU, "rem_u", 1, 0, zero, 0},
  });
}

TEST(NumericTest, I64DivisionAndRemainder) {
  constexpr ErrorCode ok = num::kNoTrap;
  constexpr ErrorCode zero = ErrorCode::IntegerDivideByZero;
  constexpr ErrorCode overflow = ErrorCode::IntegerOverflow;
  constexpr uint64_t m1 = ~uint64_t(0); // -1
  checkDivRows<uint64_t>({
      {num::I64DivS, "div_s", 7, 2, ok, 3},
      {num::I64DivS, "div_s", uint64_t(-7), 2, ok, uint64_t(-3)},
      {num::I64DivS, "div_s", kI64Min, m1, overflow, 0},
      {num::I64DivS, "div_s", kI64Min, 1, ok, kI64Min},
      {num::I64DivS, "div_s", kI64Max, m1, ok, kI64Min + 1},
      {num::I64DivS, "div_s", 1, 0, zero, 0},
      {num::I64DivS, "div_s", kI64Min, 0, zero, 0},
      {num::I64DivU, "div_u", m1, 2, ok, kI64Max},
      {num::I64DivU, "div_u", kI64Min, m1, ok, 0},
      {num::I64DivU, "div_u", 1, 0, zero, 0},
      {num::I64RemS, "rem_s", kI64Min, m1, ok, 0},
      {num::I64RemS, "rem_s", 5, m1, ok, 0},
      {num::I64RemS, "rem_s", uint64_t(-7), 2, ok, m1},
      {num::I64RemS, "rem_s", kI64Min, 3, ok, uint64_t(-2)},
      {num::I64RemS, "rem_s", 1, 0, zero, 0},
      {num::I64RemU, "rem_u", kI64Min, m1, ok, kI64Min},
      {num::I64RemU, "rem_u", m1, 10, ok, 5},
      {num::I64RemU, "rem_u", 1, 0, zero, 0},
  });
}

// ---------------------------------------------------------------------------
// Integer binary operations that never trap: shifts, rotates, arithmetic
// wrap-around and signed versus unsigned comparison.

template <typename Int, typename Out = Int> struct BinaryRow {
  Out (*fn)(Int, Int);
  const char* name;
  Int a, b;
  Out out;
};

template <typename Int, typename Out>
void checkBinaryRows(const std::vector<BinaryRow<Int, Out>>& rows) {
  for (const BinaryRow<Int, Out>& row : rows) {
    SCOPED_TRACE(::testing::Message() << row.name << std::hex << "(0x" << row.a
                                      << ", 0x" << row.b << ")");
    EXPECT_EQ(row.fn(opaque(row.a), opaque(row.b)), row.out);
  }
}

TEST(NumericTest, I32ShiftsAndRotatesMaskTheCount) {
  checkBinaryRows<uint32_t, uint32_t>({
      {num::I32Shl, "shl", 1, 31, kI32Min},
      {num::I32Shl, "shl", 1, 32, 1},
      {num::I32Shl, "shl", 1, 33, 2},
      {num::I32Shl, "shl", 1, 0xffff'ffffu, kI32Min},
      {num::I32ShrS, "shr_s", kI32Min, 31, 0xffff'ffffu},
      {num::I32ShrS, "shr_s", kI32Min, 32, kI32Min},
      {num::I32ShrS, "shr_s", kI32Max, 30, 1},
      {num::I32ShrS, "shr_s", 0xffff'fff0u, 0xffff'ffe2u, 0xffff'fffcu},
      {num::I32ShrU, "shr_u", kI32Min, 31, 1},
      {num::I32ShrU, "shr_u", kI32Min, 32, kI32Min},
      {num::I32ShrU, "shr_u", kI32Min, 63, 1},
      {num::I32Rotl, "rotl", 0x8000'0001u, 1, 3},
      {num::I32Rotl, "rotl", 0xabcd'9876u, 0, 0xabcd'9876u},
      {num::I32Rotl, "rotl", 0xabcd'9876u, 32, 0xabcd'9876u},
      {num::I32Rotl, "rotl", 0xfe00'dc00u, 4, 0xe00d'c00fu},      // spec
      {num::I32Rotl, "rotl", 0xb0c1'd2e3u, 0x0005, 0x183a'5c76u}, // spec
      {num::I32Rotl, "rotl", 0xb0c1'd2e3u, 0xff05, 0x183a'5c76u}, // spec
      {num::I32Rotr, "rotr", 1, 1, kI32Min},
      {num::I32Rotr, "rotr", 1, 0xffff'ffffu, 2},
      {num::I32Rotr, "rotr", 0xb0c1'd2e3u, 0xff05, 0x1d86'0e97u}, // spec
  });
}

TEST(NumericTest, I64ShiftsAndRotatesMaskTheCount) {
  checkBinaryRows<uint64_t, uint64_t>({
      {num::I64Shl, "shl", 1, 63, kI64Min},
      {num::I64Shl, "shl", 1, 64, 1},
      {num::I64Shl, "shl", 1, 65, 2},
      {num::I64Shl, "shl", 1, ~uint64_t(0), kI64Min},
      {num::I64Shl, "shl", 1, 32, 0x1'0000'0000u}, // not masked to 5 bits
      {num::I64ShrS, "shr_s", kI64Min, 63, ~uint64_t(0)},
      {num::I64ShrS, "shr_s", kI64Min, 64, kI64Min},
      {num::I64ShrU, "shr_u", kI64Min, 63, 1},
      {num::I64ShrU, "shr_u", kI64Min, 127, 1},
      {num::I64Rotl, "rotl", 0x8000'0000'0000'0001u, 1, 3},
      {num::I64Rotl, "rotl", 0x8000'0000'0000'0001u, 65, 3},
      {num::I64Rotl, "rotl", 0xabcd'1234'ef56'7809u, 0xf5,
       0x0135'79a2'469d'eacfu}, // spec
      {num::I64Rotl, "rotl", 0xabcd'7294'ef56'7809u, 0xffff'ffff'ffff'ffedu,
       0xcf01'3579'ae52'9deau}, // spec
      {num::I64Rotr, "rotr", 1, 1, kI64Min},
      {num::I64Rotr, "rotr", 1, 64, 1},
      {num::I64Rotr, "rotr", 0xabcd'1234'ef56'7809u, 0xf5,
       0x6891'a77a'b3c0'4d5eu}, // spec
  });
}

TEST(NumericTest, IntegerArithmeticWrapsAround) {
  checkBinaryRows<uint32_t, uint32_t>({
      {num::I32Add, "add", kI32Max, 1, kI32Min},
      {num::I32Add, "add", 0xffff'ffffu, 1, 0},
      {num::I32Sub, "sub", kI32Min, 1, kI32Max},
      {num::I32Sub, "sub", 0, 1, 0xffff'ffffu},
      {num::I32Mul, "mul", 0x1000'0000u, 0x1000, 0},
      {num::I32Mul, "mul", kI32Max, kI32Max, 1},
      {num::I32Mul, "mul", 0x0123'4567u, 0x7654'3210u, 0x358e'7470u}, // spec
      {num::I32And, "and", 0xf0f0'ffffu, 0xffff'f0f0u, 0xf0f0'f0f0u},
      {num::I32Or, "or", 0xf0f0'0000u, 0x0000'f0f0u, 0xf0f0'f0f0u},
      {num::I32Xor, "xor", 0xffff'ffffu, 0x0f0f'0f0fu, 0xf0f0'f0f0u},
  });
  checkBinaryRows<uint64_t, uint64_t>({
      {num::I64Add, "add", kI64Max, 1, kI64Min},
      {num::I64Sub, "sub", kI64Min, 1, kI64Max},
      {num::I64Mul, "mul", kI64Max, kI64Max, 1},
      {num::I64Mul, "mul", 0x0123'4567'89ab'cdefu, 0xfedc'ba98'7654'3210u,
       0x2236'd88f'e561'8cf0u},
  });
}

TEST(NumericTest, IntegerComparisonsDistinguishSignedness) {
  checkBinaryRows<uint32_t, uint32_t>({
      {num::I32Eq, "eq", 5, 5, 1},
      {num::I32Ne, "ne", 5, 5, 0},
      {num::I32LtS, "lt_s", 0xffff'ffffu, 0, 1},
      {num::I32LtU, "lt_u", 0xffff'ffffu, 0, 0},
      {num::I32GtS, "gt_s", kI32Min, kI32Max, 0},
      {num::I32GtU, "gt_u", kI32Min, kI32Max, 1},
      {num::I32LeS, "le_s", kI32Min, kI32Min, 1},
      {num::I32LeU, "le_u", 1, 0, 0},
      {num::I32GeS, "ge_s", 0, 0xffff'ffffu, 1},
      {num::I32GeU, "ge_u", 0, 0xffff'ffffu, 0},
  });
  checkBinaryRows<uint64_t, uint32_t>({
      {num::I64Eq, "eq", 0x1'0000'0000u, 0, 0}, // all 64 bits compared
      {num::I64Ne, "ne", 0x1'0000'0000u, 0, 1},
      {num::I64LtS, "lt_s", ~uint64_t(0), 0, 1},
      {num::I64LtU, "lt_u", ~uint64_t(0), 0, 0},
      {num::I64GtS, "gt_s", kI64Min, kI64Max, 0},
      {num::I64GtU, "gt_u", kI64Min, kI64Max, 1},
      {num::I64LeS, "le_s", kI64Min, kI64Min, 1},
      {num::I64LeU, "le_u", 1, 0, 0},
      {num::I64GeS, "ge_s", 0, ~uint64_t(0), 1},
      {num::I64GeU, "ge_u", 0, ~uint64_t(0), 0},
  });
  EXPECT_EQ(num::I32Eqz(0), 1u);
  EXPECT_EQ(num::I32Eqz(kI32Min), 0u);
  EXPECT_EQ(num::I64Eqz(0), 1u);
  EXPECT_EQ(num::I64Eqz(0x1'0000'0000u), 0u);
}

// ---------------------------------------------------------------------------
// Bit counting and width conversions.

TEST(NumericTest, BitCountsOfZeroAreTheWidth) {
  struct Row32 {
    uint32_t in, clz, ctz, popcnt;
  };
  for (const Row32& row : std::vector<Row32>{{0, 32, 32, 0},
                                             {1, 31, 0, 1},
                                             {kI32Min, 0, 31, 1},
                                             {0xffff'ffffu, 0, 0, 32},
                                             {0x0000'8000u, 16, 15, 1},
                                             {0x00ff'ff00u, 8, 8, 16}}) {
    SCOPED_TRACE(::testing::Message() << std::hex << "0x" << row.in);
    EXPECT_EQ(num::I32Clz(opaque(row.in)), row.clz);
    EXPECT_EQ(num::I32Ctz(opaque(row.in)), row.ctz);
    EXPECT_EQ(num::I32Popcnt(opaque(row.in)), row.popcnt);
  }
  struct Row64 {
    uint64_t in, clz, ctz, popcnt;
  };
  for (const Row64& row :
       std::vector<Row64>{{0, 64, 64, 0},
                          {1, 63, 0, 1},
                          {kI64Min, 0, 63, 1},
                          {~uint64_t(0), 0, 0, 64},
                          {0x0000'0000'8000'0000u, 32, 31, 1},
                          {0x00ff'ff00'0000'0000u, 8, 40, 16}}) {
    SCOPED_TRACE(::testing::Message() << std::hex << "0x" << row.in);
    EXPECT_EQ(num::I64Clz(opaque(row.in)), row.clz);
    EXPECT_EQ(num::I64Ctz(opaque(row.in)), row.ctz);
    EXPECT_EQ(num::I64Popcnt(opaque(row.in)), row.popcnt);
  }
}

TEST(NumericTest, IntegerWidthConversions) {
  EXPECT_EQ(num::I32WrapI64(0x1'0000'0002u), 2u);
  EXPECT_EQ(num::I32WrapI64(0xffff'ffff'8000'0000u), kI32Min);
  EXPECT_EQ(num::I64ExtendI32S(kI32Min), 0xffff'ffff'8000'0000u);
  EXPECT_EQ(num::I64ExtendI32S(kI32Max), uint64_t(kI32Max));
  EXPECT_EQ(num::I64ExtendI32U(kI32Min), 0x8000'0000u);
  EXPECT_EQ(num::I64ExtendI32U(0xffff'ffffu), 0xffff'ffffu);

  EXPECT_EQ(num::I32Extend8S(0x7f), 0x7fu);
  EXPECT_EQ(num::I32Extend8S(0x80), 0xffff'ff80u);
  EXPECT_EQ(num::I32Extend8S(0x1234'5680u), 0xffff'ff80u); // high bits ignored
  EXPECT_EQ(num::I32Extend8S(0xffff'ff7fu), 0x7fu);
  EXPECT_EQ(num::I32Extend16S(0x7fff), 0x7fffu);
  EXPECT_EQ(num::I32Extend16S(0x8000), 0xffff'8000u);
  EXPECT_EQ(num::I32Extend16S(0xabcd'0000u), 0u);
  EXPECT_EQ(num::I64Extend8S(0x80), 0xffff'ffff'ffff'ff80u);
  EXPECT_EQ(num::I64Extend8S(0x0123'4567'89ab'cd7fu), 0x7fu);
  EXPECT_EQ(num::I64Extend16S(0x8000), 0xffff'ffff'ffff'8000u);
  EXPECT_EQ(num::I64Extend32S(0x8000'0000u), 0xffff'ffff'8000'0000u);
  EXPECT_EQ(num::I64Extend32S(0xffff'ffff'7fff'ffffu), 0x7fff'ffffu);
}

// ---------------------------------------------------------------------------
// Float-to-int truncation: every bound, just inside and just outside, for
// the trapping and the saturating form together.

template <typename Float, typename Int> struct TruncRow {
  Float in;
  ErrorCode trap; // kNoTrap when `value` is the result
  Int value;
  Int sat;
};

template <typename Float, typename Int>
void checkTrunc(ErrorCode (*trapping)(Float, Int&), Int (*saturating)(Float),
                std::vector<TruncRow<Float, Int>> rows) {
  constexpr bool isF32 = sizeof(Float) == 4;
  const Float inf = isF32 ? Float(kF32Inf) : Float(kF64Inf);
  const ErrorCode invalid = ErrorCode::InvalidConversionToInteger;
  const ErrorCode overflow = ErrorCode::IntegerOverflow;
  // The edges every instruction shares; -inf is checked below.
  rows.push_back({Float(0.0), num::kNoTrap, 0, 0});
  rows.push_back({Float(-0.0), num::kNoTrap, 0, 0});
  rows.push_back(
      {std::numeric_limits<Float>::denorm_min(), num::kNoTrap, 0, 0});
  rows.push_back(
      {-std::numeric_limits<Float>::denorm_min(), num::kNoTrap, 0, 0});
  rows.push_back({Float(1.9), num::kNoTrap, 1, 1});
  rows.push_back({inf, overflow, 0, std::numeric_limits<Int>::max()});
  for (Float nan :
       isF32 ? std::vector<Float>{Float(kF32Nan), Float(kF32NegNan),
                                  Float(kF32SNan), Float(kF32NegSNan)}
             : std::vector<Float>{Float(kF64Nan), Float(kF64NegNan),
                                  Float(kF64SNan), Float(kF64NegSNan)})
    rows.push_back({nan, invalid, 0, 0});

  for (const TruncRow<Float, Int>& row : rows) {
    SCOPED_TRACE(::testing::Message() << std::hexfloat << row.in);
    Int out = 0x5a;
    EXPECT_EQ(trapping(opaque(row.in), out), row.trap);
    if (row.trap == num::kNoTrap) {
      EXPECT_EQ(out, row.value);
    }
    EXPECT_EQ(saturating(opaque(row.in)), row.sat);
  }
  Int out = 0;
  EXPECT_EQ(trapping(opaque(-inf), out), overflow);
  EXPECT_EQ(saturating(opaque(-inf)), std::numeric_limits<Int>::min());
}

constexpr ErrorCode kOk = num::kNoTrap;
constexpr ErrorCode kOverflow = ErrorCode::IntegerOverflow;

TEST(NumericTruncTest, I32TruncF32S) {
  checkTrunc<float, int32_t>(
      [](float a, int32_t& out) {
        uint32_t u = 0;
        ErrorCode e = num::I32TruncF32S(a, u);
        out = int32_t(u);
        return e;
      },
      [](float a) { return int32_t(num::I32TruncSatF32S(a)); },
      {
          {-1.9f, kOk, -1, -1},
          {0x1.fffffep30f, kOk, 2147483520, 2147483520}, // largest below 2^31
          {0x1p31f, kOverflow, 0, INT32_MAX},
          {-0x1p31f, kOk, INT32_MIN, INT32_MIN},
          {-0x1.000002p31f, kOverflow, 0, INT32_MIN}, // next float below
      });
}

TEST(NumericTruncTest, I32TruncF32U) {
  checkTrunc<float, uint32_t>(
      num::I32TruncF32U, num::I32TruncSatF32U,
      {
          {-0x1.fffffep-1f, kOk, 0, 0}, // -0.99999994 truncates to -0
          {-1.0f, kOverflow, 0, 0},
          {0x1.fffffep31f, kOk, 0xffff'ff00u, 0xffff'ff00u},
          {0x1p31f, kOk, kI32Min, kI32Min},
          {0x1p32f, kOverflow, 0, 0xffff'ffffu},
      });
}

TEST(NumericTruncTest, I32TruncF64S) {
  checkTrunc<double, int32_t>(
      [](double a, int32_t& out) {
        uint32_t u = 0;
        ErrorCode e = num::I32TruncF64S(a, u);
        out = int32_t(u);
        return e;
      },
      [](double a) { return int32_t(num::I32TruncSatF64S(a)); },
      {
          {-1.9, kOk, -1, -1},
          {2147483647.0, kOk, INT32_MAX, INT32_MAX},
          {0x1.fffffffffffffp30, kOk, INT32_MAX, INT32_MAX}, // 2^31 - ulp
          {2147483648.0, kOverflow, 0, INT32_MAX},
          {-2147483648.0, kOk, INT32_MIN, INT32_MIN},
          {-0x1.00000001fffffp31, kOk, INT32_MIN, INT32_MIN}, // -2^31-1+ulp
          {-2147483649.0, kOverflow, 0, INT32_MIN},
      });
}

TEST(NumericTruncTest, I32TruncF64U) {
  checkTrunc<double, uint32_t>(
      num::I32TruncF64U, num::I32TruncSatF64U,
      {
          {-0x1.fffffffffffffp-1, kOk, 0, 0},
          {-1.0, kOverflow, 0, 0},
          {4294967295.0, kOk, 0xffff'ffffu, 0xffff'ffffu},
          {0x1.fffffffffffffp31, kOk, 0xffff'ffffu, 0xffff'ffffu},
          {4294967296.0, kOverflow, 0, 0xffff'ffffu},
          {1e16, kOverflow, 0, 0xffff'ffffu}, // spec
      });
}

TEST(NumericTruncTest, I64TruncF32S) {
  checkTrunc<float, int64_t>(
      [](float a, int64_t& out) {
        uint64_t u = 0;
        ErrorCode e = num::I64TruncF32S(a, u);
        out = int64_t(u);
        return e;
      },
      [](float a) { return int64_t(num::I64TruncSatF32S(a)); },
      {
          {-1.9f, kOk, -1, -1},
          {0x1.fffffep62f, kOk, 9223371487098961920, 9223371487098961920},
          {0x1p63f, kOverflow, 0, INT64_MAX},
          {-0x1p63f, kOk, INT64_MIN, INT64_MIN},
          {-0x1.000002p63f, kOverflow, 0, INT64_MIN}, // spec
      });
}

TEST(NumericTruncTest, I64TruncF32U) {
  checkTrunc<float, uint64_t>(
      num::I64TruncF32U, num::I64TruncSatF32U,
      {
          {-0x1.fffffep-1f, kOk, 0, 0},
          {-1.0f, kOverflow, 0, 0},
          {0x1.fffffep63f, kOk, 0xffff'ff00'0000'0000u, 0xffff'ff00'0000'0000u},
          {0x1p63f, kOk, kI64Min, kI64Min},
          {0x1p64f, kOverflow, 0, ~uint64_t(0)},
      });
}

TEST(NumericTruncTest, I64TruncF64S) {
  checkTrunc<double, int64_t>(
      [](double a, int64_t& out) {
        uint64_t u = 0;
        ErrorCode e = num::I64TruncF64S(a, u);
        out = int64_t(u);
        return e;
      },
      [](double a) { return int64_t(num::I64TruncSatF64S(a)); },
      {
          {-1.9, kOk, -1, -1},
          {0x1.fffffffffffffp62, kOk, 0x7fff'ffff'ffff'fc00,
           0x7fff'ffff'ffff'fc00},
          {0x1p63, kOverflow, 0, INT64_MAX},
          {-0x1p63, kOk, INT64_MIN, INT64_MIN},
          {-0x1.0000000000001p63, kOverflow, 0, INT64_MIN}, // spec
      });
}

TEST(NumericTruncTest, I64TruncF64U) {
  checkTrunc<double, uint64_t>(
      num::I64TruncF64U, num::I64TruncSatF64U,
      {
          {-0x1.fffffffffffffp-1, kOk, 0, 0},
          {-1.0, kOverflow, 0, 0},
          {0x1.fffffffffffffp63, kOk, 0xffff'ffff'ffff'f800u,
           0xffff'ffff'ffff'f800u},
          {0x1p63, kOk, kI64Min, kI64Min},
          {0x1p64, kOverflow, 0, ~uint64_t(0)},
      });
}

// ---------------------------------------------------------------------------
// Float operations.

template <typename Float> struct FloatBinaryRow {
  Float (*fn)(Float, Float);
  const char* name;
  Float a, b;
  Expect kind;
  Float out;
};

template <typename Float>
void checkFloatBinaryRows(const std::vector<FloatBinaryRow<Float>>& rows) {
  for (const FloatBinaryRow<Float>& row : rows) {
    SCOPED_TRACE(::testing::Message()
                 << row.name << std::hex << "(0x" << bitsOf(row.a) << ", 0x"
                 << bitsOf(row.b) << ")");
    expectFloat(row.fn(opaque(row.a), opaque(row.b)), row.kind, row.out);
  }
}

template <typename Float> struct FloatUnaryRow {
  Float (*fn)(Float);
  const char* name;
  Float a;
  Expect kind;
  Float out;
};

template <typename Float>
void checkFloatUnaryRows(const std::vector<FloatUnaryRow<Float>>& rows) {
  for (const FloatUnaryRow<Float>& row : rows) {
    SCOPED_TRACE(::testing::Message()
                 << row.name << std::hex << "(0x" << bitsOf(row.a) << ")");
    expectFloat(row.fn(opaque(row.a)), row.kind, row.out);
  }
}

constexpr Expect kBits = Expect::Bits;
constexpr Expect kCanonical = Expect::CanonicalNan;
constexpr Expect kArithmetic = Expect::ArithmeticNan;

TEST(NumericFloatTest, MinMaxNanAndSignedZero) {
  checkFloatBinaryRows<float>({
      {num::F32Min, "min", -0.0f, 0.0f, kBits, -0.0f},
      {num::F32Min, "min", 0.0f, -0.0f, kBits, -0.0f},
      {num::F32Max, "max", -0.0f, 0.0f, kBits, 0.0f},
      {num::F32Max, "max", 0.0f, -0.0f, kBits, 0.0f},
      {num::F32Min, "min", 1.0f, 2.0f, kBits, 1.0f},
      {num::F32Max, "max", 1.0f, 2.0f, kBits, 2.0f},
      {num::F32Min, "min", -kF32Inf, kF32Inf, kBits, -kF32Inf},
      {num::F32Max, "max", -kF32Inf, kF32Inf, kBits, kF32Inf},
      {num::F32Min, "min", 1.0f, kF32Nan, kCanonical, 0},
      {num::F32Min, "min", kF32NegNan, 1.0f, kCanonical, 0},
      {num::F32Max, "max", -kF32Inf, kF32Nan, kCanonical, 0},
      {num::F32Max, "max", kF32Nan, kF32NegNan, kCanonical, 0},
      {num::F32Min, "min", kF32SNan, 1.0f, kArithmetic, 0},
      {num::F32Min, "min", 1.0f, kF32NegSNan, kArithmetic, 0},
      {num::F32Max, "max", 0.0f, kF32SNan, kArithmetic, 0},
      {num::F32Max, "max", kF32NegSNan, kF32Nan, kArithmetic, 0},
  });
  checkFloatBinaryRows<double>({
      {num::F64Min, "min", -0.0, 0.0, kBits, -0.0},
      {num::F64Min, "min", 0.0, -0.0, kBits, -0.0},
      {num::F64Max, "max", -0.0, 0.0, kBits, 0.0},
      {num::F64Max, "max", 0.0, -0.0, kBits, 0.0},
      {num::F64Min, "min", -kF64Inf, kF64Inf, kBits, -kF64Inf},
      {num::F64Max, "max", 0x1p-1074, -0x1p-1074, kBits, 0x1p-1074},
      {num::F64Min, "min", 1.0, kF64Nan, kCanonical, 0},
      {num::F64Max, "max", kF64NegNan, 1.0, kCanonical, 0},
      {num::F64Min, "min", kF64SNan, 1.0, kArithmetic, 0},
      {num::F64Max, "max", 1.0, kF64NegSNan, kArithmetic, 0},
  });
}

TEST(NumericFloatTest, NearestRoundsHalfToEven) {
  checkFloatUnaryRows<float>({
      {num::F32Nearest, "nearest", 0.5f, kBits, 0.0f},
      {num::F32Nearest, "nearest", -0.5f, kBits, -0.0f},
      {num::F32Nearest, "nearest", 1.5f, kBits, 2.0f},
      {num::F32Nearest, "nearest", 2.5f, kBits, 2.0f},
      {num::F32Nearest, "nearest", -2.5f, kBits, -2.0f},
      {num::F32Nearest, "nearest", 3.5f, kBits, 4.0f},
      {num::F32Nearest, "nearest", -0.4f, kBits, -0.0f},
      {num::F32Nearest, "nearest", -0.0f, kBits, -0.0f},
      {num::F32Nearest, "nearest", 0x1.fffffep-2f, kBits, 0.0f},    // not x+0.5
      {num::F32Nearest, "nearest", 0x1.000002p22f, kBits, 0x1p22f}, // 4194304.5
      {num::F32Nearest, "nearest", 0x1.fffffep22f, kBits, 0x1p23f}, // 8388607.5
      {num::F32Nearest, "nearest", 0x1.000002p23f, kBits, 0x1.000002p23f},
      {num::F32Nearest, "nearest", -0x1.fffffep127f, kBits, -0x1.fffffep127f},
      {num::F32Nearest, "nearest", kF32Inf, kBits, kF32Inf},
      {num::F32Nearest, "nearest", -kF32Inf, kBits, -kF32Inf},
      {num::F32Nearest, "nearest", kF32Nan, kCanonical, 0},
      {num::F32Nearest, "nearest", kF32NegSNan, kArithmetic, 0},
  });
  checkFloatUnaryRows<double>({
      {num::F64Nearest, "nearest", 0.5, kBits, 0.0},
      {num::F64Nearest, "nearest", -0.5, kBits, -0.0},
      {num::F64Nearest, "nearest", 1.5, kBits, 2.0},
      {num::F64Nearest, "nearest", 2.5, kBits, 2.0},
      {num::F64Nearest, "nearest", -3.5, kBits, -4.0},
      {num::F64Nearest, "nearest", 0x1.fffffffffffffp-2, kBits, 0.0},
      {num::F64Nearest, "nearest", 4503599627370495.5, kBits,
       4503599627370496.0},
      {num::F64Nearest, "nearest", 0x1.0000000000001p52, kBits,
       0x1.0000000000001p52},
      {num::F64Nearest, "nearest", 1e300, kBits, 1e300},
      {num::F64Nearest, "nearest", -kF64Inf, kBits, -kF64Inf},
      {num::F64Nearest, "nearest", kF64NegNan, kCanonical, 0},
      {num::F64Nearest, "nearest", kF64SNan, kArithmetic, 0},
  });
}

TEST(NumericFloatTest, CeilFloorTruncKeepZeroSignAndQuietNan) {
  checkFloatUnaryRows<float>({
      {num::F32Ceil, "ceil", -0.5f, kBits, -0.0f},
      {num::F32Ceil, "ceil", -0.0f, kBits, -0.0f},
      {num::F32Ceil, "ceil", 0x1p-149f, kBits, 1.0f},
      {num::F32Ceil, "ceil", 0x1.fffffep22f, kBits, 0x1p23f},
      {num::F32Floor, "floor", 0.5f, kBits, 0.0f},
      {num::F32Floor, "floor", -0.5f, kBits, -1.0f},
      {num::F32Floor, "floor", -0x1p-149f, kBits, -1.0f},
      {num::F32Trunc, "trunc", -0.9f, kBits, -0.0f},
      {num::F32Trunc, "trunc", -1.5f, kBits, -1.0f},
      {num::F32Trunc, "trunc", 0x1.fffffep127f, kBits, 0x1.fffffep127f},
      {num::F32Ceil, "ceil", kF32SNan, kArithmetic, 0},
      {num::F32Floor, "floor", kF32NegSNan, kArithmetic, 0},
      {num::F32Trunc, "trunc", kF32SNan, kArithmetic, 0},
      {num::F32Trunc, "trunc", kF32Nan, kCanonical, 0},
      {num::F32Floor, "floor", -kF32Inf, kBits, -kF32Inf},
  });
  checkFloatUnaryRows<double>({
      {num::F64Ceil, "ceil", -0.5, kBits, -0.0},
      {num::F64Floor, "floor", -0.5, kBits, -1.0},
      {num::F64Floor, "floor", 0x1p-1074, kBits, 0.0},
      {num::F64Trunc, "trunc", -0.9, kBits, -0.0},
      {num::F64Trunc, "trunc", 0x1.fffffffffffffp51, kBits,
       0x1.ffffffffffffep51},
      {num::F64Ceil, "ceil", kF64SNan, kArithmetic, 0},
      {num::F64Floor, "floor", kF64NegSNan, kArithmetic, 0},
      {num::F64Trunc, "trunc", kF64SNan, kArithmetic, 0},
      {num::F64Ceil, "ceil", kF64Nan, kCanonical, 0},
  });
}

TEST(NumericFloatTest, SignOperationsKeepNanPayloads) {
  // Signalling NaNs stay signalling: these are bit operations.
  EXPECT_EQ(bitsOf(num::F32Abs(opaque(kF32NegSNan))), 0x7fa0'0000u);
  EXPECT_EQ(bitsOf(num::F32Neg(opaque(kF32SNan))), 0xffa0'0000u);
  EXPECT_EQ(bitsOf(num::F32Neg(opaque(f32(0x7f80'0001u)))), 0xff80'0001u);
  EXPECT_EQ(bitsOf(num::F32Neg(opaque(0.0f))), 0x8000'0000u);
  EXPECT_EQ(bitsOf(num::F32Abs(opaque(-0.0f))), 0u);
  EXPECT_EQ(bitsOf(num::F64Abs(opaque(kF64NegSNan))), 0x7ff4'0000'0000'0000u);
  EXPECT_EQ(bitsOf(num::F64Neg(opaque(kF64SNan))), 0xfff4'0000'0000'0000u);
  EXPECT_EQ(bitsOf(num::F64Neg(opaque(0.0))), kI64Min);

  checkFloatBinaryRows<float>({
      {num::F32Copysign, "copysign", kF32SNan, -1.0f, kBits, kF32NegSNan},
      {num::F32Copysign, "copysign", kF32NegSNan, 1.0f, kBits, kF32SNan},
      {num::F32Copysign, "copysign", 1.0f, kF32NegNan, kBits, -1.0f},
      {num::F32Copysign, "copysign", -1.0f, kF32Nan, kBits, 1.0f},
      {num::F32Copysign, "copysign", 0.0f, -0.0f, kBits, -0.0f},
      {num::F32Copysign, "copysign", -kF32Inf, 0.0f, kBits, kF32Inf},
  });
  checkFloatBinaryRows<double>({
      {num::F64Copysign, "copysign", kF64SNan, -1.0, kBits, kF64NegSNan},
      {num::F64Copysign, "copysign", 1.0, kF64NegSNan, kBits, -1.0},
      {num::F64Copysign, "copysign", -0.0, 0.0, kBits, 0.0},
  });
}

TEST(NumericFloatTest, ArithmeticProducesSpecNans) {
  checkFloatBinaryRows<float>({
      {num::F32Add, "add", kF32SNan, 1.0f, kArithmetic, 0},
      {num::F32Sub, "sub", 1.0f, kF32NegSNan, kArithmetic, 0},
      {num::F32Mul, "mul", kF32Nan, 2.0f, kCanonical, 0},
      {num::F32Sub, "sub", kF32Inf, kF32Inf, kCanonical, 0},
      {num::F32Mul, "mul", 0.0f, -kF32Inf, kCanonical, 0},
      {num::F32Div, "div", 0.0f, 0.0f, kCanonical, 0},
      {num::F32Div, "div", -1.0f, 0.0f, kBits, -kF32Inf},
      {num::F32Add, "add", -0.0f, 0.0f, kBits, 0.0f},
      {num::F32Add, "add", 0x1.fffffep127f, 0x1p104f, kBits, kF32Inf},
      {num::F32Mul, "mul", 0x1p-126f, 0x1p-23f, kBits, 0x1p-149f}, // subnormal
  });
  checkFloatBinaryRows<double>({
      {num::F64Add, "add", kF64SNan, 1.0, kArithmetic, 0},
      {num::F64Div, "div", kF64Inf, -kF64Inf, kCanonical, 0},
      {num::F64Mul, "mul", 0x1p-1022, 0x1p-52, kBits, 0x1p-1074},
  });
  checkFloatUnaryRows<float>({
      {num::F32Sqrt, "sqrt", -1.0f, kCanonical, 0},
      {num::F32Sqrt, "sqrt", -0.0f, kBits, -0.0f},
      {num::F32Sqrt, "sqrt", kF32SNan, kArithmetic, 0},
      {num::F32Sqrt, "sqrt", 0x1.fffffep127f, kBits, 0x1.fffffep63f}, // spec
  });
  checkFloatUnaryRows<double>({
      {num::F64Sqrt, "sqrt", -kF64Inf, kCanonical, 0},
      {num::F64Sqrt, "sqrt", kF64NegSNan, kArithmetic, 0},
      {num::F64Sqrt, "sqrt", 2.0, kBits, 0x1.6a09e667f3bcdp+0},
  });
}

TEST(NumericFloatTest, ComparisonsWithNanAndZero) {
  struct Row {
    float a, b;
    uint32_t eq, ne, lt, gt, le, ge;
  };
  for (const Row& row : std::vector<Row>{
           {kF32Nan, kF32Nan, 0, 1, 0, 0, 0, 0},
           {kF32SNan, 1.0f, 0, 1, 0, 0, 0, 0},
           {1.0f, kF32NegNan, 0, 1, 0, 0, 0, 0},
           {-0.0f, 0.0f, 1, 0, 0, 0, 1, 1},
           {-kF32Inf, kF32Inf, 0, 1, 1, 0, 1, 0},
           {0x1p-149f, 0.0f, 0, 1, 0, 1, 0, 1},
       }) {
    SCOPED_TRACE(::testing::Message()
                 << std::hex << bitsOf(row.a) << " " << bitsOf(row.b));
    float a = opaque(row.a), b = opaque(row.b);
    EXPECT_EQ(num::F32Eq(a, b), row.eq);
    EXPECT_EQ(num::F32Ne(a, b), row.ne);
    EXPECT_EQ(num::F32Lt(a, b), row.lt);
    EXPECT_EQ(num::F32Gt(a, b), row.gt);
    EXPECT_EQ(num::F32Le(a, b), row.le);
    EXPECT_EQ(num::F32Ge(a, b), row.ge);
    // The same in f64, where every f32 value is exact.
    double c = num::F64PromoteF32(a), d = num::F64PromoteF32(b);
    EXPECT_EQ(num::F64Eq(c, d), row.eq);
    EXPECT_EQ(num::F64Ne(c, d), row.ne);
    EXPECT_EQ(num::F64Lt(c, d), row.lt);
    EXPECT_EQ(num::F64Gt(c, d), row.gt);
    EXPECT_EQ(num::F64Le(c, d), row.le);
    EXPECT_EQ(num::F64Ge(c, d), row.ge);
  }
}

// ---------------------------------------------------------------------------
// Conversions between number types.

TEST(NumericConversionTest, IntToF32RoundsOnce) {
  struct Row {
    float (*fn)(uint64_t);
    uint64_t in;
    float out;
  };
  auto s64 = [](uint64_t a) { return num::F32ConvertI64S(a); };
  auto u64 = [](uint64_t a) { return num::F32ConvertI64U(a); };
  auto s32 = [](uint64_t a) { return num::F32ConvertI32S(uint32_t(a)); };
  auto u32 = [](uint64_t a) { return num::F32ConvertI32U(uint32_t(a)); };
  // All from conversions.wast. The 0x...0001 cases catch double rounding
  // through f64: the sticky low bit breaks what would otherwise be a tie.
  for (const Row& row : std::vector<Row>{
           {s64, kI64Max, 0x1p63f},
           {s64, kI64Min, -0x1p63f},
           {s64, 314159265358979, 0x1.1db9e8p+48f},
           {s64, 16777217, 16777216.0f},
           {s64, uint64_t(-16777217), -16777216.0f},
           {s64, 16777219, 16777220.0f},
           {s64, 0x7fff'ff40'0000'0001u, 0x1.fffffep+62f},
           {s64, 0x8000'0040'0000'0001u, -0x1.fffffep+62f},
           {s64, 0x0020'0000'2000'0001u, 0x1.000002p+53f},
           {s64, 0xffdf'ffff'dfff'ffffu, -0x1.000002p+53f},
           {u64, kI64Max, 0x1p63f},
           {u64, kI64Min, 0x1p63f},
           {u64, ~uint64_t(0), 0x1p64f},
           {u64, 16777217, 16777216.0f},
           {u64, 16777219, 16777220.0f},
           {u64, 0x0020'0000'2000'0001u, 0x1.000002p+53f},
           {u64, 0x7fff'ffbf'ffff'ffffu, 0x1.fffffep+62f},
           {u64, 0x8000'0080'0000'0001u, 0x1.000002p+63f},
           {u64, 0xffff'fe80'0000'0001u, 0x1.fffffep+63f},
           {s32, kI32Min, -0x1p31f},
           {s32, 16777217, 16777216.0f},
           {s32, 0x7fff'ffbfu, 0x1.fffffep+30f}, // rounds down below the tie
           {u32, kI32Max, 0x1p31f},
           {u32, 0xffff'ffffu, 0x1p32f},
           {u32, 0x8000'0080u, 0x1p31f}, // tie to even
           {u32, 0x8000'0081u, 0x1.000002p+31f},
           {u32, 0x8000'0180u, 0x1.000004p+31f}, // tie to even, upwards
           {u32, 0xffff'fe80u, 0x1.fffffcp+31f},
           {u32, 0xffff'fe81u, 0x1.fffffep+31f},
       }) {
    SCOPED_TRACE(::testing::Message() << std::hex << "0x" << row.in);
    EXPECT_EQ(bitsOf(row.fn(opaque(row.in))), bitsOf(row.out));
  }
}

TEST(NumericConversionTest, IntToF64RoundsOnce) {
  struct Row {
    double (*fn)(uint64_t);
    uint64_t in;
    double out;
  };
  auto s64 = [](uint64_t a) { return num::F64ConvertI64S(a); };
  auto u64 = [](uint64_t a) { return num::F64ConvertI64U(a); };
  auto s32 = [](uint64_t a) { return num::F64ConvertI32S(uint32_t(a)); };
  auto u32 = [](uint64_t a) { return num::F64ConvertI32U(uint32_t(a)); };
  for (const Row& row : std::vector<Row>{
           {s64, kI64Max, 0x1p63},
           {s64, kI64Min, -0x1p63},
           {s64, 9007199254740993, 9007199254740992.0},
           {s64, uint64_t(-9007199254740993), -9007199254740992.0},
           {s64, 9007199254740995, 9007199254740996.0},
           {u64, ~uint64_t(0), 0x1p64},
           {u64, kI64Min, 0x1p63},
           {u64, 0x8000'0000'0000'0400u, 0x1.0000000000000p+63},
           {u64, 0x8000'0000'0000'0401u, 0x1.0000000000001p+63},
           {u64, 0x8000'0000'0000'0402u, 0x1.0000000000001p+63},
           {u64, 0xffff'ffff'ffff'f400u, 0x1.ffffffffffffep+63},
           {u64, 0xffff'ffff'ffff'f401u, 0x1.fffffffffffffp+63},
           {u64, 0xffff'ffff'ffff'f402u, 0x1.fffffffffffffp+63},
           {u64, 9007199254740993, 9007199254740992.0},
           {u64, 9007199254740995, 9007199254740996.0},
           {s32, kI32Min, -2147483648.0},
           {s32, 0xffff'ffffu, -1.0},
           {u32, kI32Min, 2147483648.0},
           {u32, 0xffff'ffffu, 4294967295.0},
       }) {
    SCOPED_TRACE(::testing::Message() << std::hex << "0x" << row.in);
    EXPECT_EQ(bitsOf(row.fn(opaque(row.in))), bitsOf(row.out));
  }
}

TEST(NumericConversionTest, DemoteRoundsAndQuietsNan) {
  struct Row {
    double in;
    Expect kind;
    float out;
  };
  for (const Row& row : std::vector<Row>{
           {-0.0, kBits, -0.0f},
           {0x0.0000000000001p-1022, kBits, 0.0f}, // spec
           {-0x0.0000000000001p-1022, kBits, -0.0f},
           {0x1.fffffe0000000p-127, kBits, 0x1p-126f},
           {0x1.fffffdfffffffp-127, kBits, 0x1.fffffcp-127f},
           {0x1p-149, kBits, 0x1p-149f},
           {0x1p-150, kBits, 0.0f}, // tie between 0 and min subnormal
           {0x1.0000000000001p-150, kBits, 0x1p-149f},
           {0x1.000001p0, kBits, 1.0f}, // tie to even
           {0x1.000003p0, kBits, 0x1.000004p0f},
           {0x1.fffffd0000000p+127, kBits, 0x1.fffffcp+127f},
           {0x1.fffffd0000001p+127, kBits, 0x1.fffffep+127f},
           {0x1.fffffefffffffp+127, kBits, 0x1.fffffep+127f},
           {0x1.ffffffp+127, kBits, kF32Inf}, // rounds up out of range
           {-0x1p1000, kBits, -kF32Inf},
           {kF64Inf, kBits, kF32Inf},
           {kF64Nan, kCanonical, 0},
           {kF64NegNan, kCanonical, 0},
           {kF64SNan, kArithmetic, 0},
           {kF64NegSNan, kArithmetic, 0},
           {f64(0x7ff0'0000'0000'0001u), kArithmetic, 0}, // payload below f32
       }) {
    SCOPED_TRACE(::testing::Message() << std::hexfloat << row.in);
    expectFloat(num::F32DemoteF64(opaque(row.in)), row.kind, row.out);
  }
}

TEST(NumericConversionTest, PromoteIsExactAndQuietsNan) {
  struct Row {
    float in;
    Expect kind;
    double out;
  };
  for (const Row& row : std::vector<Row>{
           {-0.0f, kBits, -0.0},
           {0x1p-149f, kBits, 0x1p-149},
           {-0x1.fffffep127f, kBits, -0x1.fffffep127},
           {0x1.8f867ep125f, kBits, 6.6382536710104395e+37}, // spec
           {-kF32Inf, kBits, -kF64Inf},
           {kF32Nan, kCanonical, 0},
           {kF32NegNan, kCanonical, 0},
           {kF32SNan, kArithmetic, 0},
           {kF32NegSNan, kArithmetic, 0},
       }) {
    SCOPED_TRACE(::testing::Message() << std::hexfloat << row.in);
    expectFloat(num::F64PromoteF32(opaque(row.in)), row.kind, row.out);
  }
}

TEST(NumericConversionTest, ReinterpretKeepsEveryBit) {
  for (uint32_t bits : {0u, 0x8000'0000u, 0x7fa0'0000u, 0xff80'0001u,
                        0x7f80'0000u, 0x0000'0001u, 0x3f80'0000u}) {
    SCOPED_TRACE(::testing::Message() << std::hex << bits);
    EXPECT_EQ(num::I32ReinterpretF32(num::F32ReinterpretI32(opaque(bits))),
              bits);
  }
  for (uint64_t bits :
       {uint64_t(0), kI64Min, uint64_t(0x7ff4'0000'0000'0000u),
        uint64_t(0xfff0'0000'0000'0001u), uint64_t(0x3ff0'0000'0000'0000u)}) {
    SCOPED_TRACE(::testing::Message() << std::hex << bits);
    EXPECT_EQ(num::I64ReinterpretF64(num::F64ReinterpretI64(opaque(bits))),
              bits);
  }
  EXPECT_EQ(num::I32ReinterpretF32(-0.0f), 0x8000'0000u);
  EXPECT_EQ(bitsOf(num::F64ReinterpretI64(0x4000'0000'0000'0000u)),
            bitsOf(2.0));
}

} // namespace
} // namespace wasmscope::runtime
