// The exact semantics of every WebAssembly 2.0 numeric instruction (spec
// section 4.3, "Numerics"), one inline function per instruction, named as in
// the X-macro lists of Opcodes.def. These are the bodies of the interpreter's
// handlers, so each is small, branch-light and free of undefined behaviour:
// signed arithmetic is done on unsigned types, shift counts are masked, and
// every float-to-int cast is range-checked first.
//
// Value types map to C++ as i32 -> uint32_t, i64 -> uint64_t, f32 -> float,
// f64 -> double. Integers are stored unsigned and reinterpreted as signed
// (well defined since C++20) only where an instruction is signed.
//
// NaN results come from the hardware: an arithmetic operation on a NaN
// operand returns that NaN with its quiet bit set, and one on non-NaN
// operands (inf - inf, 0 / 0, sqrt(-1)) returns a canonical NaN, which is
// exactly the spec's nans{...} rule. abs, neg, copysign and the reinterprets
// are pure bit operations that keep NaN payloads untouched.
//
// Floating-point assumptions: IEEE 754 binary32/binary64, round-to-nearest-
// even, no flush-to-zero, floats in SSE/NEON registers (never x87, which
// quiets signalling NaNs on every load), no -ffast-math (rejected below) and
// -ffp-contract=off for code that chains these calls: GCC otherwise fuses an
// inlined F64Mul feeding F64Add into one FMA, even with -std=c++20. The
// functions are exact on operands the compiler cannot see, as interpreter
// registers are; composed with constants in one C++ expression, compilers
// may fold x - 0, x * 1 or demote(promote(x)) to x, wrong for signalling
// NaNs.
#pragma once

#include "wasmscope/runtime/Result.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace wasmscope::runtime::numeric {

static_assert(std::numeric_limits<float>::is_iec559 &&
                  std::numeric_limits<double>::is_iec559,
              "WebAssembly floats are IEEE 754 binary32 and binary64");
#ifdef __FAST_MATH__
#error "-ffast-math breaks WebAssembly float semantics (NaN, -0, rounding)"
#endif

/// Returned by the trapping instructions when they do not trap. A sentinel:
/// Unreachable is never produced by arithmetic.
inline constexpr ErrorCode kNoTrap = ErrorCode::Unreachable;

namespace detail {

inline constexpr uint32_t kF32SignBit = 0x8000'0000u;
inline constexpr uint64_t kF64SignBit = 0x8000'0000'0000'0000u;

inline uint32_t bits(float a) { return std::bit_cast<uint32_t>(a); }
inline uint64_t bits(double a) { return std::bit_cast<uint64_t>(a); }

/// The spec's trunc_s and trunc_u: NaN traps as an invalid conversion,
/// anything whose truncation does not fit `Int` as an overflow. The result
/// is defined iff lo < a < hi, both bounds exact in `Float` (see the
/// instructions below), so one pair of compares decides it and the C++ cast
/// after it is always defined.
template <typename Int, typename Out, typename Float>
inline ErrorCode trunc(Float a, Float lo, Float hi, Out& out) {
  if (!(a > lo && a < hi)) [[unlikely]] {
    return std::isnan(a) ? ErrorCode::InvalidConversionToInteger
                         : ErrorCode::IntegerOverflow;
  }
  out = static_cast<Out>(static_cast<Int>(a));
  return kNoTrap;
}

/// The spec's trunc_sat: NaN gives 0, values beyond the bounds (exclusive,
/// as for trunc) give the nearest representable integer.
template <typename Int, typename Out, typename Float>
inline Out truncSat(Float a, Float lo, Float hi) {
  if (!(a > lo)) [[unlikely]] {
    return std::isnan(a) ? Out(0)
                         : static_cast<Out>(std::numeric_limits<Int>::min());
  }
  if (!(a < hi)) [[unlikely]]
    return static_cast<Out>(std::numeric_limits<Int>::max());
  return static_cast<Out>(static_cast<Int>(a));
}

/// min with the spec's rules: NaN if either operand is NaN (a + b returns a
/// quiet NaN, propagating an operand's payload), and -0 < +0 (for equal
/// operands, or-ing the bits picks -0 from a pair of zeros).
template <typename Float> inline Float min(Float a, Float b) {
  if (std::isnan(a) || std::isnan(b)) [[unlikely]]
    return a + b;
  if (a == b)
    return std::bit_cast<Float>(bits(a) | bits(b));
  return a < b ? a : b;
}

/// max, the mirror of min: and-ing the bits of equal operands picks +0.
template <typename Float> inline Float max(Float a, Float b) {
  if (std::isnan(a) || std::isnan(b)) [[unlikely]]
    return a + b;
  if (a == b)
    return std::bit_cast<Float>(bits(a) & bits(b));
  return a > b ? a : b;
}

/// Round to nearest, ties to even, without depending on libm's nearbyint
/// (which saves and restores the floating-point environment). For
/// |a| < 2^(mantissa bits) adding and subtracting that power of two leaves
/// an integer rounded by the hardware's default mode; larger magnitudes are
/// already integers. `shift` is 2^23 for f32 and 2^52 for f64.
template <typename Float, typename Bits>
inline Float nearest(Float a, Float shift, Bits signBit) {
  Float m = std::bit_cast<Float>(Bits(std::bit_cast<Bits>(a) & ~signBit));
  if (m < shift) {
    Float r = (m + shift) - shift;
    // Restores the sign, so that -0.4 gives -0 as the spec requires.
    return std::bit_cast<Float>(
        Bits(std::bit_cast<Bits>(r) | (std::bit_cast<Bits>(a) & signBit)));
  }
  if (std::isnan(a)) [[unlikely]]
    return a + a; // Quiets a signalling NaN.
  return a;
}

} // namespace detail

// ---------------------------------------------------------------------------
// Integer tests and comparisons (4.3.2: ieqz, ieq, ine, ilt, igt, ile, ige).

inline uint32_t I32Eqz(uint32_t a) { return a == 0; }
inline uint32_t I64Eqz(uint64_t a) { return a == 0; }

inline uint32_t I32Eq(uint32_t a, uint32_t b) { return a == b; }
inline uint32_t I32Ne(uint32_t a, uint32_t b) { return a != b; }
inline uint32_t I32LtS(uint32_t a, uint32_t b) {
  return int32_t(a) < int32_t(b);
}
inline uint32_t I32LtU(uint32_t a, uint32_t b) { return a < b; }
inline uint32_t I32GtS(uint32_t a, uint32_t b) {
  return int32_t(a) > int32_t(b);
}
inline uint32_t I32GtU(uint32_t a, uint32_t b) { return a > b; }
inline uint32_t I32LeS(uint32_t a, uint32_t b) {
  return int32_t(a) <= int32_t(b);
}
inline uint32_t I32LeU(uint32_t a, uint32_t b) { return a <= b; }
inline uint32_t I32GeS(uint32_t a, uint32_t b) {
  return int32_t(a) >= int32_t(b);
}
inline uint32_t I32GeU(uint32_t a, uint32_t b) { return a >= b; }

inline uint32_t I64Eq(uint64_t a, uint64_t b) { return a == b; }
inline uint32_t I64Ne(uint64_t a, uint64_t b) { return a != b; }
inline uint32_t I64LtS(uint64_t a, uint64_t b) {
  return int64_t(a) < int64_t(b);
}
inline uint32_t I64LtU(uint64_t a, uint64_t b) { return a < b; }
inline uint32_t I64GtS(uint64_t a, uint64_t b) {
  return int64_t(a) > int64_t(b);
}
inline uint32_t I64GtU(uint64_t a, uint64_t b) { return a > b; }
inline uint32_t I64LeS(uint64_t a, uint64_t b) {
  return int64_t(a) <= int64_t(b);
}
inline uint32_t I64LeU(uint64_t a, uint64_t b) { return a <= b; }
inline uint32_t I64GeS(uint64_t a, uint64_t b) {
  return int64_t(a) >= int64_t(b);
}
inline uint32_t I64GeU(uint64_t a, uint64_t b) { return a >= b; }

// ---------------------------------------------------------------------------
// Integer bit counting (iclz, ictz, ipopcnt): the count of a zero input is
// the bit width, as std::countl_zero and std::countr_zero define it.

inline uint32_t I32Clz(uint32_t a) { return uint32_t(std::countl_zero(a)); }
inline uint32_t I32Ctz(uint32_t a) { return uint32_t(std::countr_zero(a)); }
inline uint32_t I32Popcnt(uint32_t a) { return uint32_t(std::popcount(a)); }
inline uint64_t I64Clz(uint64_t a) { return uint64_t(std::countl_zero(a)); }
inline uint64_t I64Ctz(uint64_t a) { return uint64_t(std::countr_zero(a)); }
inline uint64_t I64Popcnt(uint64_t a) { return uint64_t(std::popcount(a)); }

// ---------------------------------------------------------------------------
// Integer arithmetic (iadd, isub, imul, iand, ior, ixor): modular, so done
// on unsigned types where C++ wraps too.

inline uint32_t I32Add(uint32_t a, uint32_t b) { return a + b; }
inline uint32_t I32Sub(uint32_t a, uint32_t b) { return a - b; }
inline uint32_t I32Mul(uint32_t a, uint32_t b) { return a * b; }
inline uint32_t I32And(uint32_t a, uint32_t b) { return a & b; }
inline uint32_t I32Or(uint32_t a, uint32_t b) { return a | b; }
inline uint32_t I32Xor(uint32_t a, uint32_t b) { return a ^ b; }

inline uint64_t I64Add(uint64_t a, uint64_t b) { return a + b; }
inline uint64_t I64Sub(uint64_t a, uint64_t b) { return a - b; }
inline uint64_t I64Mul(uint64_t a, uint64_t b) { return a * b; }
inline uint64_t I64And(uint64_t a, uint64_t b) { return a & b; }
inline uint64_t I64Or(uint64_t a, uint64_t b) { return a | b; }
inline uint64_t I64Xor(uint64_t a, uint64_t b) { return a ^ b; }

// ---------------------------------------------------------------------------
// Shifts and rotates (ishl, ishr_s, ishr_u, irotl, irotr): the count is taken
// modulo the bit width. Right shift of a negative value is arithmetic in
// C++20.

inline uint32_t I32Shl(uint32_t a, uint32_t b) { return a << (b & 31); }
inline uint32_t I32ShrS(uint32_t a, uint32_t b) {
  return uint32_t(int32_t(a) >> (b & 31));
}
inline uint32_t I32ShrU(uint32_t a, uint32_t b) { return a >> (b & 31); }
inline uint32_t I32Rotl(uint32_t a, uint32_t b) {
  return std::rotl(a, int(b & 31));
}
inline uint32_t I32Rotr(uint32_t a, uint32_t b) {
  return std::rotr(a, int(b & 31));
}

inline uint64_t I64Shl(uint64_t a, uint64_t b) { return a << (b & 63); }
inline uint64_t I64ShrS(uint64_t a, uint64_t b) {
  return uint64_t(int64_t(a) >> (b & 63));
}
inline uint64_t I64ShrU(uint64_t a, uint64_t b) { return a >> (b & 63); }
inline uint64_t I64Rotl(uint64_t a, uint64_t b) {
  return std::rotl(a, int(b & 63));
}
inline uint64_t I64Rotr(uint64_t a, uint64_t b) {
  return std::rotr(a, int(b & 63));
}

// ---------------------------------------------------------------------------
// Division and remainder (idiv_u, idiv_s, irem_u, irem_s). All trap on a zero
// divisor. div_s traps on INT_MIN / -1, whose quotient does not fit; rem_s of
// the same operands is 0 in WebAssembly but undefined in C++ (and faults on
// x86), so any remainder by -1 returns 0 without dividing.

inline ErrorCode I32DivS(uint32_t a, uint32_t b, uint32_t& out) {
  if (b == 0) [[unlikely]]
    return ErrorCode::IntegerDivideByZero;
  if (a == uint32_t(INT32_MIN) && b == uint32_t(-1)) [[unlikely]]
    return ErrorCode::IntegerOverflow;
  out = uint32_t(int32_t(a) / int32_t(b));
  return kNoTrap;
}
inline ErrorCode I32DivU(uint32_t a, uint32_t b, uint32_t& out) {
  if (b == 0) [[unlikely]]
    return ErrorCode::IntegerDivideByZero;
  out = a / b;
  return kNoTrap;
}
inline ErrorCode I32RemS(uint32_t a, uint32_t b, uint32_t& out) {
  if (b == 0) [[unlikely]]
    return ErrorCode::IntegerDivideByZero;
  out = b == uint32_t(-1) ? 0 : uint32_t(int32_t(a) % int32_t(b));
  return kNoTrap;
}
inline ErrorCode I32RemU(uint32_t a, uint32_t b, uint32_t& out) {
  if (b == 0) [[unlikely]]
    return ErrorCode::IntegerDivideByZero;
  out = a % b;
  return kNoTrap;
}

inline ErrorCode I64DivS(uint64_t a, uint64_t b, uint64_t& out) {
  if (b == 0) [[unlikely]]
    return ErrorCode::IntegerDivideByZero;
  if (a == uint64_t(INT64_MIN) && b == uint64_t(-1)) [[unlikely]]
    return ErrorCode::IntegerOverflow;
  out = uint64_t(int64_t(a) / int64_t(b));
  return kNoTrap;
}
inline ErrorCode I64DivU(uint64_t a, uint64_t b, uint64_t& out) {
  if (b == 0) [[unlikely]]
    return ErrorCode::IntegerDivideByZero;
  out = a / b;
  return kNoTrap;
}
inline ErrorCode I64RemS(uint64_t a, uint64_t b, uint64_t& out) {
  if (b == 0) [[unlikely]]
    return ErrorCode::IntegerDivideByZero;
  out = b == uint64_t(-1) ? 0 : uint64_t(int64_t(a) % int64_t(b));
  return kNoTrap;
}
inline ErrorCode I64RemU(uint64_t a, uint64_t b, uint64_t& out) {
  if (b == 0) [[unlikely]]
    return ErrorCode::IntegerDivideByZero;
  out = a % b;
  return kNoTrap;
}

// ---------------------------------------------------------------------------
// Float comparisons (feq, fne, flt, fgt, fle, fge): IEEE comparisons, false
// for any NaN operand except ne, and -0 == +0.

inline uint32_t F32Eq(float a, float b) { return a == b; }
inline uint32_t F32Ne(float a, float b) { return a != b; }
inline uint32_t F32Lt(float a, float b) { return a < b; }
inline uint32_t F32Gt(float a, float b) { return a > b; }
inline uint32_t F32Le(float a, float b) { return a <= b; }
inline uint32_t F32Ge(float a, float b) { return a >= b; }

inline uint32_t F64Eq(double a, double b) { return a == b; }
inline uint32_t F64Ne(double a, double b) { return a != b; }
inline uint32_t F64Lt(double a, double b) { return a < b; }
inline uint32_t F64Gt(double a, double b) { return a > b; }
inline uint32_t F64Le(double a, double b) { return a <= b; }
inline uint32_t F64Ge(double a, double b) { return a >= b; }

// ---------------------------------------------------------------------------
// Sign operations (fabs, fneg, fcopysign): bit operations on the sign only,
// which the spec requires to leave NaN payloads (even signalling) intact.

inline float F32Abs(float a) {
  return std::bit_cast<float>(detail::bits(a) & ~detail::kF32SignBit);
}
inline float F32Neg(float a) {
  return std::bit_cast<float>(detail::bits(a) ^ detail::kF32SignBit);
}
inline float F32Copysign(float a, float b) {
  return std::bit_cast<float>((detail::bits(a) & ~detail::kF32SignBit) |
                              (detail::bits(b) & detail::kF32SignBit));
}

inline double F64Abs(double a) {
  return std::bit_cast<double>(detail::bits(a) & ~detail::kF64SignBit);
}
inline double F64Neg(double a) {
  return std::bit_cast<double>(detail::bits(a) ^ detail::kF64SignBit);
}
inline double F64Copysign(double a, double b) {
  return std::bit_cast<double>((detail::bits(a) & ~detail::kF64SignBit) |
                               (detail::bits(b) & detail::kF64SignBit));
}

// ---------------------------------------------------------------------------
// Float arithmetic (fadd, fsub, fmul, fdiv, fsqrt): correctly rounded IEEE
// operations; the hardware produces the NaNs the spec asks for.

inline float F32Add(float a, float b) { return a + b; }
inline float F32Sub(float a, float b) { return a - b; }
inline float F32Mul(float a, float b) { return a * b; }
inline float F32Div(float a, float b) { return a / b; }
inline float F32Sqrt(float a) { return std::sqrt(a); }
inline float F32Min(float a, float b) { return detail::min(a, b); }
inline float F32Max(float a, float b) { return detail::max(a, b); }

inline double F64Add(double a, double b) { return a + b; }
inline double F64Sub(double a, double b) { return a - b; }
inline double F64Mul(double a, double b) { return a * b; }
inline double F64Div(double a, double b) { return a / b; }
inline double F64Sqrt(double a) { return std::sqrt(a); }
inline double F64Min(double a, double b) { return detail::min(a, b); }
inline double F64Max(double a, double b) { return detail::max(a, b); }

// ---------------------------------------------------------------------------
// Rounding to an integral value (fceil, ffloor, ftrunc, fnearest). The <cmath>
// functions keep the sign of zero (ceil(-0.5) is -0) but, in glibc's C
// implementations, return a signalling NaN unchanged, so NaNs are quieted
// here first; nearest rounds ties to even.

inline float F32Ceil(float a) {
  if (std::isnan(a)) [[unlikely]]
    return a + a;
  return std::ceil(a);
}
inline float F32Floor(float a) {
  if (std::isnan(a)) [[unlikely]]
    return a + a;
  return std::floor(a);
}
inline float F32Trunc(float a) {
  if (std::isnan(a)) [[unlikely]]
    return a + a;
  return std::trunc(a);
}
inline float F32Nearest(float a) {
  return detail::nearest(a, 0x1p23f, detail::kF32SignBit);
}

inline double F64Ceil(double a) {
  if (std::isnan(a)) [[unlikely]]
    return a + a;
  return std::ceil(a);
}
inline double F64Floor(double a) {
  if (std::isnan(a)) [[unlikely]]
    return a + a;
  return std::floor(a);
}
inline double F64Trunc(double a) {
  if (std::isnan(a)) [[unlikely]]
    return a + a;
  return std::trunc(a);
}
inline double F64Nearest(double a) {
  return detail::nearest(a, 0x1p52, detail::kF64SignBit);
}

// ---------------------------------------------------------------------------
// Integer width conversions (wrap, extend_s, extend_u, extendN_s).

inline uint32_t I32WrapI64(uint64_t a) { return uint32_t(a); }
inline uint64_t I64ExtendI32S(uint32_t a) { return uint64_t(int32_t(a)); }
inline uint64_t I64ExtendI32U(uint32_t a) { return a; }
inline uint32_t I32Extend8S(uint32_t a) { return uint32_t(int8_t(a)); }
inline uint32_t I32Extend16S(uint32_t a) { return uint32_t(int16_t(a)); }
inline uint64_t I64Extend8S(uint64_t a) { return uint64_t(int8_t(a)); }
inline uint64_t I64Extend16S(uint64_t a) { return uint64_t(int16_t(a)); }
inline uint64_t I64Extend32S(uint64_t a) { return uint64_t(int32_t(a)); }

// ---------------------------------------------------------------------------
// Float to integer truncation (trunc_u, trunc_s), trapping. Each instruction
// is valid iff lo < a < hi with both bounds exact in the source type: hi is
// the first power of two out of range, lo the largest value whose truncation
// is below the range, i.e. -1 for unsigned and, for signed, the float just
// below INT_MIN (INT_MIN itself is exact in every source type; where
// INT_MIN - 1 is not representable the next float down is the bound).

/// lo = -2^31 - 2^8: f32 has 24 significant bits, so its spacing just below
/// -2^31 is 2^8.
inline ErrorCode I32TruncF32S(float a, uint32_t& out) {
  return detail::trunc<int32_t>(a, -0x1.000002p31f, 0x1p31f, out);
}
inline ErrorCode I32TruncF32U(float a, uint32_t& out) {
  return detail::trunc<uint32_t>(a, -1.0f, 0x1p32f, out);
}
/// lo = -2^31 - 1, exact in f64.
inline ErrorCode I32TruncF64S(double a, uint32_t& out) {
  return detail::trunc<int32_t>(a, -0x1.00000002p31, 0x1p31, out);
}
inline ErrorCode I32TruncF64U(double a, uint32_t& out) {
  return detail::trunc<uint32_t>(a, -1.0, 0x1p32, out);
}
/// lo = -2^63 - 2^40: the f32 spacing just below -2^63.
inline ErrorCode I64TruncF32S(float a, uint64_t& out) {
  return detail::trunc<int64_t>(a, -0x1.000002p63f, 0x1p63f, out);
}
inline ErrorCode I64TruncF32U(float a, uint64_t& out) {
  return detail::trunc<uint64_t>(a, -1.0f, 0x1p64f, out);
}
/// lo = -2^63 - 2^11: the f64 spacing just below -2^63.
inline ErrorCode I64TruncF64S(double a, uint64_t& out) {
  return detail::trunc<int64_t>(a, -0x1.0000000000001p63, 0x1p63, out);
}
inline ErrorCode I64TruncF64U(double a, uint64_t& out) {
  return detail::trunc<uint64_t>(a, -1.0, 0x1p64, out);
}

// ---------------------------------------------------------------------------
// Saturating truncation (trunc_sat_u, trunc_sat_s): the same bounds, but
// out-of-range values clamp and NaN gives 0.

inline uint32_t I32TruncSatF32S(float a) {
  return detail::truncSat<int32_t, uint32_t>(a, -0x1.000002p31f, 0x1p31f);
}
inline uint32_t I32TruncSatF32U(float a) {
  return detail::truncSat<uint32_t, uint32_t>(a, -1.0f, 0x1p32f);
}
inline uint32_t I32TruncSatF64S(double a) {
  return detail::truncSat<int32_t, uint32_t>(a, -0x1.00000002p31, 0x1p31);
}
inline uint32_t I32TruncSatF64U(double a) {
  return detail::truncSat<uint32_t, uint32_t>(a, -1.0, 0x1p32);
}
inline uint64_t I64TruncSatF32S(float a) {
  return detail::truncSat<int64_t, uint64_t>(a, -0x1.000002p63f, 0x1p63f);
}
inline uint64_t I64TruncSatF32U(float a) {
  return detail::truncSat<uint64_t, uint64_t>(a, -1.0f, 0x1p64f);
}
inline uint64_t I64TruncSatF64S(double a) {
  return detail::truncSat<int64_t, uint64_t>(a, -0x1.0000000000001p63, 0x1p63);
}
inline uint64_t I64TruncSatF64U(double a) {
  return detail::truncSat<uint64_t, uint64_t>(a, -1.0, 0x1p64);
}

// ---------------------------------------------------------------------------
// Integer to float conversion (convert_s, convert_u): one correct rounding
// to nearest even. The C++ conversions are single-rounding on x86-64 and
// AArch64 with GCC and Clang, including uint64 -> float, which compilers
// lower without going through double; the unit tests pin the spec's
// double-rounding cases.

inline float F32ConvertI32S(uint32_t a) { return float(int32_t(a)); }
inline float F32ConvertI32U(uint32_t a) { return float(a); }
inline float F32ConvertI64S(uint64_t a) { return float(int64_t(a)); }
inline float F32ConvertI64U(uint64_t a) { return float(a); }
inline double F64ConvertI32S(uint32_t a) { return double(int32_t(a)); }
inline double F64ConvertI32U(uint32_t a) { return double(a); }
inline double F64ConvertI64S(uint64_t a) { return double(int64_t(a)); }
inline double F64ConvertI64U(uint64_t a) { return double(a); }

// ---------------------------------------------------------------------------
// Float width conversions (demote, promote): correctly rounded (demotion may
// overflow to infinity, which IEEE defines); the hardware conversions quiet a
// NaN and keep the top of its payload, giving the arithmetic NaN the spec
// requires (and a canonical NaN for a canonical input).

inline float F32DemoteF64(double a) { return float(a); }
inline double F64PromoteF32(float a) { return double(a); }

// ---------------------------------------------------------------------------
// Reinterpretation: the bits unchanged, NaN payloads included.

inline uint32_t I32ReinterpretF32(float a) {
  return std::bit_cast<uint32_t>(a);
}
inline uint64_t I64ReinterpretF64(double a) {
  return std::bit_cast<uint64_t>(a);
}
inline float F32ReinterpretI32(uint32_t a) { return std::bit_cast<float>(a); }
inline double F64ReinterpretI64(uint64_t a) { return std::bit_cast<double>(a); }

} // namespace wasmscope::runtime::numeric
