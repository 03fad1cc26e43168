// The exact semantics of every WebAssembly 2.0 fixed-width SIMD instruction
// (spec 4.3.x "vector instructions" and 4.4.3), one inline function per
// instruction, named as in the WASM_SIMD_* lists of Opcodes.def. They are the
// bodies of the interpreter's v128 handlers, and are tested on their own
// (tests/core-runtime/NumericSimdTest.cpp).
//
// A v128 is the V128 struct of Value.h: 16 bytes, lane 0 lowest. Inside, the
// functions view it as GCC/Clang vector types (`vector_size(16)`), which the
// compiler maps to SSE2 on x86-64 and NEON on AArch64. Where one operator of
// such a type is exactly the wasm operation it is used directly:
//   - integer add, sub, mul, neg, and, or, xor, not, andnot, bitselect,
//     comparisons (a true lane is all ones), shifts (count masked first, as
//     wasm does), integer min/max and abs (compare and select);
//   - float add, sub, mul, div: IEEE 754 in SSE/NEON lanes, with the same NaN
//     rule as the scalar instructions (see Numeric.h): a NaN operand comes
//     back quieted, non-NaN operands give a canonical NaN;
//   - float comparisons (ordered; `ne` is unordered-or-unequal), pmin/pmax
//     (defined by the spec as exactly `b < a ? b : a`), abs and neg (bit
//     operations that keep NaN payloads);
//   - on SSE2, the saturating add/sub, avgr_u, i32x4.dot_i16x8_s, the signed
//     narrows and i8x16.bitmask through intrinsics with the same definition.
// Everything else is scalar, lane by lane, because no SSE2 instruction has the
// wasm meaning: float min/max (x86 minps returns the second operand for NaN
// and for ±0, wasm wants a NaN and -0 < +0), ceil/floor/trunc/nearest and
// sqrt (per lane through the scalar functions of Numeric.h, so vector and
// scalar results are bit-identical), the saturating float-to-int truncations
// and int-to-float conversions (x86 cvttps2dq returns 0x80000000 on overflow
// and NaN), swizzle (pshufb zeroes by the index's top bit, wasm for any index
// >= 16), q15mulr_sat_s (pmulhrsw does not saturate 0x8000 * 0x8000),
// popcnt, the unsigned i32->u16 narrow, extends, extmuls and pairwise adds.
#pragma once

#include "wasmscope/runtime/Numeric.h"
#include "wasmscope/runtime/Value.h"

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace wasmscope::runtime::numeric::simd {

namespace detail {

typedef int8_t i8x16 __attribute__((vector_size(16)));
typedef uint8_t u8x16 __attribute__((vector_size(16)));
typedef int16_t i16x8 __attribute__((vector_size(16)));
typedef uint16_t u16x8 __attribute__((vector_size(16)));
typedef int32_t i32x4 __attribute__((vector_size(16)));
typedef uint32_t u32x4 __attribute__((vector_size(16)));
typedef int64_t i64x2 __attribute__((vector_size(16)));
typedef uint64_t u64x2 __attribute__((vector_size(16)));
typedef float f32x4 __attribute__((vector_size(16)));
typedef double f64x2 __attribute__((vector_size(16)));

template <typename Vec> inline Vec as(V128 v) { return std::bit_cast<Vec>(v); }
template <typename Vec> inline V128 from(Vec x) { return std::bit_cast<V128>(x); }

/// A v128 as a plain array of lanes of type T, for the scalar definitions.
template <typename T> struct Lanes {
  static constexpr int kCount = int(16 / sizeof(T));
  T v[kCount];
};
template <typename T> inline Lanes<T> lanes(V128 x) { return std::bit_cast<Lanes<T>>(x); }
template <typename T> inline V128 pack(const Lanes<T>& l) { return std::bit_cast<V128>(l); }

/// Applies f to each lane of a (read as T), giving lanes of type R.
template <typename T, typename R = T, typename F> inline V128 map(V128 a, F f) {
  static_assert(sizeof(T) == sizeof(R));
  Lanes<T> x = lanes<T>(a);
  Lanes<R> r;
  for (int i = 0; i < Lanes<T>::kCount; ++i)
    r.v[i] = f(x.v[i]);
  return pack(r);
}
template <typename T, typename R = T, typename F> inline V128 zip(V128 a, V128 b, F f) {
  static_assert(sizeof(T) == sizeof(R));
  Lanes<T> x = lanes<T>(a), y = lanes<T>(b);
  Lanes<R> r;
  for (int i = 0; i < Lanes<T>::kCount; ++i)
    r.v[i] = f(x.v[i], y.v[i]);
  return pack(r);
}

template <typename T> inline T saturate(int64_t v) {
  constexpr int64_t lo = int64_t(std::numeric_limits<T>::min());
  constexpr int64_t hi = int64_t(std::numeric_limits<T>::max());
  return T(v < lo ? lo : v > hi ? hi : v);
}

/// Lanes Narrow (half width) from the lanes Wide of a then b, saturated.
template <typename Wide, typename Narrow> inline V128 narrow(V128 a, V128 b) {
  Lanes<Wide> x = lanes<Wide>(a), y = lanes<Wide>(b);
  Lanes<Narrow> r;
  constexpr int n = Lanes<Wide>::kCount;
  for (int i = 0; i < n; ++i) {
    r.v[i] = saturate<Narrow>(x.v[i]);
    r.v[i + n] = saturate<Narrow>(y.v[i]);
  }
  return pack(r);
}

/// Wide lanes from the low (offset 0) or high half of the Narrow lanes.
template <typename Narrow, typename Wide> inline V128 extend(V128 a, int offset) {
  Lanes<Narrow> x = lanes<Narrow>(a);
  Lanes<Wide> r;
  for (int i = 0; i < Lanes<Wide>::kCount; ++i)
    r.v[i] = Wide(x.v[i + offset]);
  return pack(r);
}

/// Wide lanes: products of the extended low or high Narrow lanes. The
/// product is formed in 64 bits, where it cannot overflow, then wrapped.
template <typename Narrow, typename Wide> inline V128 extmul(V128 a, V128 b, int offset) {
  Lanes<Narrow> x = lanes<Narrow>(a), y = lanes<Narrow>(b);
  Lanes<Wide> r;
  for (int i = 0; i < Lanes<Wide>::kCount; ++i)
    r.v[i] = Wide(uint64_t(int64_t(x.v[i + offset]) * int64_t(y.v[i + offset])));
  return pack(r);
}

/// Wide lanes: sums of adjacent pairs of extended Narrow lanes.
template <typename Narrow, typename Wide> inline V128 extaddPairwise(V128 a) {
  Lanes<Narrow> x = lanes<Narrow>(a);
  Lanes<Wide> r;
  for (int i = 0; i < Lanes<Wide>::kCount; ++i)
    r.v[i] = Wide(Wide(x.v[2 * i]) + Wide(x.v[2 * i + 1]));
  return pack(r);
}

template <typename T> inline uint32_t allTrue(V128 a) {
  Lanes<T> x = lanes<T>(a);
  for (int i = 0; i < Lanes<T>::kCount; ++i)
    if (x.v[i] == 0)
      return 0;
  return 1;
}

template <typename T> inline uint32_t bitmask(V128 a) {
  using S = std::make_signed_t<T>;
  Lanes<S> x = lanes<S>(a);
  uint32_t r = 0;
  for (int i = 0; i < Lanes<S>::kCount; ++i)
    r |= uint32_t(x.v[i] < 0) << i;
  return r;
}

template <typename T> inline V128 splat(T x) {
  Lanes<T> r;
  for (int i = 0; i < Lanes<T>::kCount; ++i)
    r.v[i] = x;
  return pack(r);
}

template <typename T> inline T lane(V128 a, uint32_t i) {
  T x;
  std::memcpy(&x, reinterpret_cast<const uint8_t*>(&a) + i * sizeof(T), sizeof(T));
  return x;
}
template <typename T> inline V128 withLane(V128 a, uint32_t i, T x) {
  std::memcpy(reinterpret_cast<uint8_t*>(&a) + i * sizeof(T), &x, sizeof(T));
  return a;
}

/// Lane-wise select: lanes of a where mask is all ones, else of b.
inline V128 select(V128 mask, V128 a, V128 b) {
  u64x2 m = as<u64x2>(mask);
  return from((as<u64x2>(a) & m) | (as<u64x2>(b) & ~m));
}

template <typename Vec> inline V128 add(V128 a, V128 b) { return from(as<Vec>(a) + as<Vec>(b)); }
template <typename Vec> inline V128 sub(V128 a, V128 b) { return from(as<Vec>(a) - as<Vec>(b)); }
template <typename Vec> inline V128 mul(V128 a, V128 b) { return from(as<Vec>(a) * as<Vec>(b)); }
template <typename Vec> inline V128 eq(V128 a, V128 b) { return from(as<Vec>(a) == as<Vec>(b)); }
template <typename Vec> inline V128 ne(V128 a, V128 b) { return from(as<Vec>(a) != as<Vec>(b)); }
template <typename Vec> inline V128 lt(V128 a, V128 b) { return from(as<Vec>(a) < as<Vec>(b)); }
template <typename Vec> inline V128 gt(V128 a, V128 b) { return from(as<Vec>(a) > as<Vec>(b)); }
template <typename Vec> inline V128 le(V128 a, V128 b) { return from(as<Vec>(a) <= as<Vec>(b)); }
template <typename Vec> inline V128 ge(V128 a, V128 b) { return from(as<Vec>(a) >= as<Vec>(b)); }
template <typename Vec> inline V128 min(V128 a, V128 b) {
  Vec x = as<Vec>(a), y = as<Vec>(b);
  return from(x < y ? x : y);
}
template <typename Vec> inline V128 max(V128 a, V128 b) {
  Vec x = as<Vec>(a), y = as<Vec>(b);
  return from(x > y ? x : y);
}
/// Two's complement negation and absolute value, wrapping at the minimum:
/// computed on the unsigned view (UVec) so that no signed lane overflows.
template <typename SVec, typename UVec> inline V128 neg(V128 a) {
  return from(UVec{} - as<UVec>(a));
}
template <typename SVec, typename UVec> inline V128 abs(V128 a) {
  UVec u = as<UVec>(a);
  return from(as<SVec>(a) < 0 ? UVec{} - u : u);
}
/// Shifts with the count taken modulo the lane width (spec ishl, ishr).
template <typename Vec, int Bits> inline V128 shl(V128 a, uint32_t n) {
  return from(as<Vec>(a) << int(n & (Bits - 1)));
}
template <typename Vec, int Bits> inline V128 shr(V128 a, uint32_t n) {
  return from(as<Vec>(a) >> int(n & (Bits - 1)));
}

template <typename T> inline V128 addSat(V128 a, V128 b) {
  return zip<T>(a, b, [](T x, T y) { return saturate<T>(int64_t(x) + int64_t(y)); });
}
template <typename T> inline V128 subSat(V128 a, V128 b) {
  return zip<T>(a, b, [](T x, T y) { return saturate<T>(int64_t(x) - int64_t(y)); });
}
template <typename T> inline V128 avgr(V128 a, V128 b) {
  return zip<T>(a, b, [](T x, T y) { return T((uint32_t(x) + uint32_t(y) + 1) >> 1); });
}

template <typename Vec> inline V128 pmin(V128 a, V128 b) {
  Vec x = as<Vec>(a), y = as<Vec>(b);
  return from(y < x ? y : x);
}
template <typename Vec> inline V128 pmax(V128 a, V128 b) {
  Vec x = as<Vec>(a), y = as<Vec>(b);
  return from(x < y ? y : x);
}

} // namespace detail

using namespace detail;

// ---------------------------------------------------------------------------
// Memory (spec 4.4.7): each load gets the bytes it reads, already bounds
// checked. Lanes come from little-endian memory, as the host's layout.

inline V128 V128Load(const uint8_t* p) {
  uint8_t b[16];
  std::memcpy(b, p, 16);
  return std::bit_cast<V128>(b);
}
/// The low `n` bytes of a vector from memory, the rest zero.
inline V128 loadLow(const uint8_t* p, size_t n) {
  uint8_t b[16] = {};
  std::memcpy(b, p, n);
  return std::bit_cast<V128>(b);
}
inline V128 V128Load8x8S(const uint8_t* p) { return extend<int8_t, int16_t>(loadLow(p, 8), 0); }
inline V128 V128Load8x8U(const uint8_t* p) { return extend<uint8_t, uint16_t>(loadLow(p, 8), 0); }
inline V128 V128Load16x4S(const uint8_t* p) { return extend<int16_t, int32_t>(loadLow(p, 8), 0); }
inline V128 V128Load16x4U(const uint8_t* p) { return extend<uint16_t, uint32_t>(loadLow(p, 8), 0); }
inline V128 V128Load32x2S(const uint8_t* p) { return extend<int32_t, int64_t>(loadLow(p, 8), 0); }
inline V128 V128Load32x2U(const uint8_t* p) { return extend<uint32_t, uint64_t>(loadLow(p, 8), 0); }
inline V128 V128Load8Splat(const uint8_t* p) { return splat<uint8_t>(p[0]); }
inline V128 V128Load16Splat(const uint8_t* p) { return splat<uint16_t>(lane<uint16_t>(loadLow(p, 2), 0)); }
inline V128 V128Load32Splat(const uint8_t* p) { return splat<uint32_t>(lane<uint32_t>(loadLow(p, 4), 0)); }
inline V128 V128Load64Splat(const uint8_t* p) { return splat<uint64_t>(lane<uint64_t>(loadLow(p, 8), 0)); }
inline V128 V128Load32Zero(const uint8_t* p) { return loadLow(p, 4); }
inline V128 V128Load64Zero(const uint8_t* p) { return loadLow(p, 8); }

/// The lane loads and stores: `Bytes` bytes to or from lane `i`.
template <size_t Bytes> inline V128 loadLane(const uint8_t* p, V128 v, uint32_t i) {
  std::memcpy(reinterpret_cast<uint8_t*>(&v) + i * Bytes, p, Bytes);
  return v;
}
template <size_t Bytes> inline void storeLane(uint8_t* p, V128 v, uint32_t i) {
  std::memcpy(p, reinterpret_cast<const uint8_t*>(&v) + i * Bytes, Bytes);
}
inline V128 V128Load8Lane(const uint8_t* p, V128 v, uint32_t i) { return loadLane<1>(p, v, i); }
inline V128 V128Load16Lane(const uint8_t* p, V128 v, uint32_t i) { return loadLane<2>(p, v, i); }
inline V128 V128Load32Lane(const uint8_t* p, V128 v, uint32_t i) { return loadLane<4>(p, v, i); }
inline V128 V128Load64Lane(const uint8_t* p, V128 v, uint32_t i) { return loadLane<8>(p, v, i); }
inline void V128Store8Lane(uint8_t* p, V128 v, uint32_t i) { storeLane<1>(p, v, i); }
inline void V128Store16Lane(uint8_t* p, V128 v, uint32_t i) { storeLane<2>(p, v, i); }
inline void V128Store32Lane(uint8_t* p, V128 v, uint32_t i) { storeLane<4>(p, v, i); }
inline void V128Store64Lane(uint8_t* p, V128 v, uint32_t i) { storeLane<8>(p, v, i); }

// ---------------------------------------------------------------------------
// Lanes: splat, extract_lane, replace_lane, shuffle, swizzle. Float lanes move
// as bits, so NaN payloads pass through unchanged.

inline V128 I8x16Splat(uint32_t x) { return splat<uint8_t>(uint8_t(x)); }
inline V128 I16x8Splat(uint32_t x) { return splat<uint16_t>(uint16_t(x)); }
inline V128 I32x4Splat(uint32_t x) { return splat<uint32_t>(x); }
inline V128 I64x2Splat(uint64_t x) { return splat<uint64_t>(x); }
inline V128 F32x4Splat(float x) { return splat<uint32_t>(std::bit_cast<uint32_t>(x)); }
inline V128 F64x2Splat(double x) { return splat<uint64_t>(std::bit_cast<uint64_t>(x)); }

inline uint32_t I8x16ExtractLaneS(V128 a, uint32_t i) { return uint32_t(int32_t(lane<int8_t>(a, i))); }
inline uint32_t I8x16ExtractLaneU(V128 a, uint32_t i) { return lane<uint8_t>(a, i); }
inline uint32_t I16x8ExtractLaneS(V128 a, uint32_t i) { return uint32_t(int32_t(lane<int16_t>(a, i))); }
inline uint32_t I16x8ExtractLaneU(V128 a, uint32_t i) { return lane<uint16_t>(a, i); }
inline uint32_t I32x4ExtractLane(V128 a, uint32_t i) { return lane<uint32_t>(a, i); }
inline uint64_t I64x2ExtractLane(V128 a, uint32_t i) { return lane<uint64_t>(a, i); }
inline float F32x4ExtractLane(V128 a, uint32_t i) { return std::bit_cast<float>(lane<uint32_t>(a, i)); }
inline double F64x2ExtractLane(V128 a, uint32_t i) { return std::bit_cast<double>(lane<uint64_t>(a, i)); }

inline V128 I8x16ReplaceLane(V128 a, uint32_t x, uint32_t i) { return withLane<uint8_t>(a, i, uint8_t(x)); }
inline V128 I16x8ReplaceLane(V128 a, uint32_t x, uint32_t i) { return withLane<uint16_t>(a, i, uint16_t(x)); }
inline V128 I32x4ReplaceLane(V128 a, uint32_t x, uint32_t i) { return withLane<uint32_t>(a, i, x); }
inline V128 I64x2ReplaceLane(V128 a, uint64_t x, uint32_t i) { return withLane<uint64_t>(a, i, x); }
inline V128 F32x4ReplaceLane(V128 a, float x, uint32_t i) {
  return withLane<uint32_t>(a, i, std::bit_cast<uint32_t>(x));
}
inline V128 F64x2ReplaceLane(V128 a, double x, uint32_t i) {
  return withLane<uint64_t>(a, i, std::bit_cast<uint64_t>(x));
}

/// Lane i of the result is lane s[i] of the 32 lanes of a then b (the
/// validator has checked every s[i] < 32).
inline V128 I8x16Shuffle(V128 a, V128 b, const uint8_t* s) {
  uint8_t both[32];
  std::memcpy(both, reinterpret_cast<const uint8_t*>(&a), 16);
  std::memcpy(both + 16, reinterpret_cast<const uint8_t*>(&b), 16);
  Lanes<uint8_t> r;
  for (int i = 0; i < 16; ++i)
    r.v[i] = both[s[i] & 31];
  return pack(r);
}
/// Lane i of the result is lane s[i] of a, or 0 when s[i] >= 16.
inline V128 I8x16Swizzle(V128 a, V128 s) {
  Lanes<uint8_t> x = lanes<uint8_t>(a), idx = lanes<uint8_t>(s), r;
  for (int i = 0; i < 16; ++i)
    r.v[i] = idx.v[i] < 16 ? x.v[idx.v[i]] : 0;
  return pack(r);
}

// ---------------------------------------------------------------------------
// Bitwise (spec 4.3.4: inot, iand, iandnot, ior, ixor, bitselect, any_true).

inline V128 V128Not(V128 a) { return {~a.lo, ~a.hi}; }
inline V128 V128And(V128 a, V128 b) { return {a.lo & b.lo, a.hi & b.hi}; }
inline V128 V128Andnot(V128 a, V128 b) { return {a.lo & ~b.lo, a.hi & ~b.hi}; }
inline V128 V128Or(V128 a, V128 b) { return {a.lo | b.lo, a.hi | b.hi}; }
inline V128 V128Xor(V128 a, V128 b) { return {a.lo ^ b.lo, a.hi ^ b.hi}; }
inline V128 V128Bitselect(V128 a, V128 b, V128 c) { return select(c, a, b); }
inline uint32_t V128AnyTrue(V128 a) { return (a.lo | a.hi) != 0; }

// ---------------------------------------------------------------------------
// Integer lanes.

inline V128 I8x16Eq(V128 a, V128 b) { return eq<u8x16>(a, b); }
inline V128 I8x16Ne(V128 a, V128 b) { return ne<u8x16>(a, b); }
inline V128 I8x16LtS(V128 a, V128 b) { return lt<i8x16>(a, b); }
inline V128 I8x16LtU(V128 a, V128 b) { return lt<u8x16>(a, b); }
inline V128 I8x16GtS(V128 a, V128 b) { return gt<i8x16>(a, b); }
inline V128 I8x16GtU(V128 a, V128 b) { return gt<u8x16>(a, b); }
inline V128 I8x16LeS(V128 a, V128 b) { return le<i8x16>(a, b); }
inline V128 I8x16LeU(V128 a, V128 b) { return le<u8x16>(a, b); }
inline V128 I8x16GeS(V128 a, V128 b) { return ge<i8x16>(a, b); }
inline V128 I8x16GeU(V128 a, V128 b) { return ge<u8x16>(a, b); }
inline V128 I16x8Eq(V128 a, V128 b) { return eq<u16x8>(a, b); }
inline V128 I16x8Ne(V128 a, V128 b) { return ne<u16x8>(a, b); }
inline V128 I16x8LtS(V128 a, V128 b) { return lt<i16x8>(a, b); }
inline V128 I16x8LtU(V128 a, V128 b) { return lt<u16x8>(a, b); }
inline V128 I16x8GtS(V128 a, V128 b) { return gt<i16x8>(a, b); }
inline V128 I16x8GtU(V128 a, V128 b) { return gt<u16x8>(a, b); }
inline V128 I16x8LeS(V128 a, V128 b) { return le<i16x8>(a, b); }
inline V128 I16x8LeU(V128 a, V128 b) { return le<u16x8>(a, b); }
inline V128 I16x8GeS(V128 a, V128 b) { return ge<i16x8>(a, b); }
inline V128 I16x8GeU(V128 a, V128 b) { return ge<u16x8>(a, b); }
inline V128 I32x4Eq(V128 a, V128 b) { return eq<u32x4>(a, b); }
inline V128 I32x4Ne(V128 a, V128 b) { return ne<u32x4>(a, b); }
inline V128 I32x4LtS(V128 a, V128 b) { return lt<i32x4>(a, b); }
inline V128 I32x4LtU(V128 a, V128 b) { return lt<u32x4>(a, b); }
inline V128 I32x4GtS(V128 a, V128 b) { return gt<i32x4>(a, b); }
inline V128 I32x4GtU(V128 a, V128 b) { return gt<u32x4>(a, b); }
inline V128 I32x4LeS(V128 a, V128 b) { return le<i32x4>(a, b); }
inline V128 I32x4LeU(V128 a, V128 b) { return le<u32x4>(a, b); }
inline V128 I32x4GeS(V128 a, V128 b) { return ge<i32x4>(a, b); }
inline V128 I32x4GeU(V128 a, V128 b) { return ge<u32x4>(a, b); }
inline V128 I64x2Eq(V128 a, V128 b) { return eq<u64x2>(a, b); }
inline V128 I64x2Ne(V128 a, V128 b) { return ne<u64x2>(a, b); }
inline V128 I64x2LtS(V128 a, V128 b) { return lt<i64x2>(a, b); }
inline V128 I64x2GtS(V128 a, V128 b) { return gt<i64x2>(a, b); }
inline V128 I64x2LeS(V128 a, V128 b) { return le<i64x2>(a, b); }
inline V128 I64x2GeS(V128 a, V128 b) { return ge<i64x2>(a, b); }

inline V128 I8x16Abs(V128 a) { return abs<i8x16, u8x16>(a); }
inline V128 I16x8Abs(V128 a) { return abs<i16x8, u16x8>(a); }
inline V128 I32x4Abs(V128 a) { return abs<i32x4, u32x4>(a); }
inline V128 I64x2Abs(V128 a) { return abs<i64x2, u64x2>(a); }
inline V128 I8x16Neg(V128 a) { return neg<i8x16, u8x16>(a); }
inline V128 I16x8Neg(V128 a) { return neg<i16x8, u16x8>(a); }
inline V128 I32x4Neg(V128 a) { return neg<i32x4, u32x4>(a); }
inline V128 I64x2Neg(V128 a) { return neg<i64x2, u64x2>(a); }
inline V128 I8x16Popcnt(V128 a) {
  return map<uint8_t>(a, [](uint8_t x) { return uint8_t(std::popcount(x)); });
}

inline uint32_t I8x16AllTrue(V128 a) { return allTrue<uint8_t>(a); }
inline uint32_t I16x8AllTrue(V128 a) { return allTrue<uint16_t>(a); }
inline uint32_t I32x4AllTrue(V128 a) { return allTrue<uint32_t>(a); }
inline uint32_t I64x2AllTrue(V128 a) { return allTrue<uint64_t>(a); }
inline uint32_t I8x16Bitmask(V128 a) {
#if defined(__SSE2__)
  return uint32_t(_mm_movemask_epi8(std::bit_cast<__m128i>(a)));
#else
  return bitmask<uint8_t>(a);
#endif
}
inline uint32_t I16x8Bitmask(V128 a) { return bitmask<uint16_t>(a); }
inline uint32_t I32x4Bitmask(V128 a) { return bitmask<uint32_t>(a); }
inline uint32_t I64x2Bitmask(V128 a) { return bitmask<uint64_t>(a); }

inline V128 I8x16Shl(V128 a, uint32_t n) { return shl<u8x16, 8>(a, n); }
inline V128 I8x16ShrS(V128 a, uint32_t n) { return shr<i8x16, 8>(a, n); }
inline V128 I8x16ShrU(V128 a, uint32_t n) { return shr<u8x16, 8>(a, n); }
inline V128 I16x8Shl(V128 a, uint32_t n) { return shl<u16x8, 16>(a, n); }
inline V128 I16x8ShrS(V128 a, uint32_t n) { return shr<i16x8, 16>(a, n); }
inline V128 I16x8ShrU(V128 a, uint32_t n) { return shr<u16x8, 16>(a, n); }
inline V128 I32x4Shl(V128 a, uint32_t n) { return shl<u32x4, 32>(a, n); }
inline V128 I32x4ShrS(V128 a, uint32_t n) { return shr<i32x4, 32>(a, n); }
inline V128 I32x4ShrU(V128 a, uint32_t n) { return shr<u32x4, 32>(a, n); }
inline V128 I64x2Shl(V128 a, uint32_t n) { return shl<u64x2, 64>(a, n); }
inline V128 I64x2ShrS(V128 a, uint32_t n) { return shr<i64x2, 64>(a, n); }
inline V128 I64x2ShrU(V128 a, uint32_t n) { return shr<u64x2, 64>(a, n); }

inline V128 I8x16Add(V128 a, V128 b) { return add<u8x16>(a, b); }
inline V128 I8x16Sub(V128 a, V128 b) { return sub<u8x16>(a, b); }
inline V128 I16x8Add(V128 a, V128 b) { return add<u16x8>(a, b); }
inline V128 I16x8Sub(V128 a, V128 b) { return sub<u16x8>(a, b); }
inline V128 I16x8Mul(V128 a, V128 b) { return mul<u16x8>(a, b); }
inline V128 I32x4Add(V128 a, V128 b) { return add<u32x4>(a, b); }
inline V128 I32x4Sub(V128 a, V128 b) { return sub<u32x4>(a, b); }
inline V128 I32x4Mul(V128 a, V128 b) { return mul<u32x4>(a, b); }
inline V128 I64x2Add(V128 a, V128 b) { return add<u64x2>(a, b); }
inline V128 I64x2Sub(V128 a, V128 b) { return sub<u64x2>(a, b); }
inline V128 I64x2Mul(V128 a, V128 b) { return mul<u64x2>(a, b); }

#if defined(__SSE2__)
namespace detail {
inline __m128i m128(V128 a) { return std::bit_cast<__m128i>(a); }
inline V128 v128(__m128i x) { return std::bit_cast<V128>(x); }
} // namespace detail
inline V128 I8x16AddSatS(V128 a, V128 b) { return v128(_mm_adds_epi8(m128(a), m128(b))); }
inline V128 I8x16AddSatU(V128 a, V128 b) { return v128(_mm_adds_epu8(m128(a), m128(b))); }
inline V128 I8x16SubSatS(V128 a, V128 b) { return v128(_mm_subs_epi8(m128(a), m128(b))); }
inline V128 I8x16SubSatU(V128 a, V128 b) { return v128(_mm_subs_epu8(m128(a), m128(b))); }
inline V128 I16x8AddSatS(V128 a, V128 b) { return v128(_mm_adds_epi16(m128(a), m128(b))); }
inline V128 I16x8AddSatU(V128 a, V128 b) { return v128(_mm_adds_epu16(m128(a), m128(b))); }
inline V128 I16x8SubSatS(V128 a, V128 b) { return v128(_mm_subs_epi16(m128(a), m128(b))); }
inline V128 I16x8SubSatU(V128 a, V128 b) { return v128(_mm_subs_epu16(m128(a), m128(b))); }
inline V128 I8x16AvgrU(V128 a, V128 b) { return v128(_mm_avg_epu8(m128(a), m128(b))); }
inline V128 I16x8AvgrU(V128 a, V128 b) { return v128(_mm_avg_epu16(m128(a), m128(b))); }
inline V128 I8x16NarrowI16x8S(V128 a, V128 b) { return v128(_mm_packs_epi16(m128(a), m128(b))); }
inline V128 I8x16NarrowI16x8U(V128 a, V128 b) { return v128(_mm_packus_epi16(m128(a), m128(b))); }
inline V128 I16x8NarrowI32x4S(V128 a, V128 b) { return v128(_mm_packs_epi32(m128(a), m128(b))); }
inline V128 I32x4DotI16x8S(V128 a, V128 b) { return v128(_mm_madd_epi16(m128(a), m128(b))); }
#else
inline V128 I8x16AddSatS(V128 a, V128 b) { return addSat<int8_t>(a, b); }
inline V128 I8x16AddSatU(V128 a, V128 b) { return addSat<uint8_t>(a, b); }
inline V128 I8x16SubSatS(V128 a, V128 b) { return subSat<int8_t>(a, b); }
inline V128 I8x16SubSatU(V128 a, V128 b) { return subSat<uint8_t>(a, b); }
inline V128 I16x8AddSatS(V128 a, V128 b) { return addSat<int16_t>(a, b); }
inline V128 I16x8AddSatU(V128 a, V128 b) { return addSat<uint16_t>(a, b); }
inline V128 I16x8SubSatS(V128 a, V128 b) { return subSat<int16_t>(a, b); }
inline V128 I16x8SubSatU(V128 a, V128 b) { return subSat<uint16_t>(a, b); }
inline V128 I8x16AvgrU(V128 a, V128 b) { return avgr<uint8_t>(a, b); }
inline V128 I16x8AvgrU(V128 a, V128 b) { return avgr<uint16_t>(a, b); }
inline V128 I8x16NarrowI16x8S(V128 a, V128 b) { return narrow<int16_t, int8_t>(a, b); }
inline V128 I8x16NarrowI16x8U(V128 a, V128 b) { return narrow<int16_t, uint8_t>(a, b); }
inline V128 I16x8NarrowI32x4S(V128 a, V128 b) { return narrow<int32_t, int16_t>(a, b); }
inline V128 I32x4DotI16x8S(V128 a, V128 b) {
  Lanes<int16_t> x = lanes<int16_t>(a), y = lanes<int16_t>(b);
  Lanes<uint32_t> r;
  for (int i = 0; i < 4; ++i)
    r.v[i] = uint32_t(int32_t(x.v[2 * i]) * y.v[2 * i]) + uint32_t(int32_t(x.v[2 * i + 1]) * y.v[2 * i + 1]);
  return pack(r);
}
#endif
inline V128 I16x8NarrowI32x4U(V128 a, V128 b) { return narrow<int32_t, uint16_t>(a, b); }

inline V128 I8x16MinS(V128 a, V128 b) { return min<i8x16>(a, b); }
inline V128 I8x16MinU(V128 a, V128 b) { return min<u8x16>(a, b); }
inline V128 I8x16MaxS(V128 a, V128 b) { return max<i8x16>(a, b); }
inline V128 I8x16MaxU(V128 a, V128 b) { return max<u8x16>(a, b); }
inline V128 I16x8MinS(V128 a, V128 b) { return min<i16x8>(a, b); }
inline V128 I16x8MinU(V128 a, V128 b) { return min<u16x8>(a, b); }
inline V128 I16x8MaxS(V128 a, V128 b) { return max<i16x8>(a, b); }
inline V128 I16x8MaxU(V128 a, V128 b) { return max<u16x8>(a, b); }
inline V128 I32x4MinS(V128 a, V128 b) { return min<i32x4>(a, b); }
inline V128 I32x4MinU(V128 a, V128 b) { return min<u32x4>(a, b); }
inline V128 I32x4MaxS(V128 a, V128 b) { return max<i32x4>(a, b); }
inline V128 I32x4MaxU(V128 a, V128 b) { return max<u32x4>(a, b); }

/// Rounding, saturating Q15 multiplication (spec iq15mulrsat_s).
inline V128 I16x8Q15mulrSatS(V128 a, V128 b) {
  return zip<int16_t>(a, b, [](int16_t x, int16_t y) {
    return saturate<int16_t>((int64_t(x) * y + 0x4000) >> 15);
  });
}

inline V128 I16x8ExtendLowI8x16S(V128 a) { return extend<int8_t, int16_t>(a, 0); }
inline V128 I16x8ExtendHighI8x16S(V128 a) { return extend<int8_t, int16_t>(a, 8); }
inline V128 I16x8ExtendLowI8x16U(V128 a) { return extend<uint8_t, uint16_t>(a, 0); }
inline V128 I16x8ExtendHighI8x16U(V128 a) { return extend<uint8_t, uint16_t>(a, 8); }
inline V128 I32x4ExtendLowI16x8S(V128 a) { return extend<int16_t, int32_t>(a, 0); }
inline V128 I32x4ExtendHighI16x8S(V128 a) { return extend<int16_t, int32_t>(a, 4); }
inline V128 I32x4ExtendLowI16x8U(V128 a) { return extend<uint16_t, uint32_t>(a, 0); }
inline V128 I32x4ExtendHighI16x8U(V128 a) { return extend<uint16_t, uint32_t>(a, 4); }
inline V128 I64x2ExtendLowI32x4S(V128 a) { return extend<int32_t, int64_t>(a, 0); }
inline V128 I64x2ExtendHighI32x4S(V128 a) { return extend<int32_t, int64_t>(a, 2); }
inline V128 I64x2ExtendLowI32x4U(V128 a) { return extend<uint32_t, uint64_t>(a, 0); }
inline V128 I64x2ExtendHighI32x4U(V128 a) { return extend<uint32_t, uint64_t>(a, 2); }

inline V128 I16x8ExtmulLowI8x16S(V128 a, V128 b) { return extmul<int8_t, int16_t>(a, b, 0); }
inline V128 I16x8ExtmulHighI8x16S(V128 a, V128 b) { return extmul<int8_t, int16_t>(a, b, 8); }
inline V128 I16x8ExtmulLowI8x16U(V128 a, V128 b) { return extmul<uint8_t, uint16_t>(a, b, 0); }
inline V128 I16x8ExtmulHighI8x16U(V128 a, V128 b) { return extmul<uint8_t, uint16_t>(a, b, 8); }
inline V128 I32x4ExtmulLowI16x8S(V128 a, V128 b) { return extmul<int16_t, int32_t>(a, b, 0); }
inline V128 I32x4ExtmulHighI16x8S(V128 a, V128 b) { return extmul<int16_t, int32_t>(a, b, 4); }
inline V128 I32x4ExtmulLowI16x8U(V128 a, V128 b) { return extmul<uint16_t, uint32_t>(a, b, 0); }
inline V128 I32x4ExtmulHighI16x8U(V128 a, V128 b) { return extmul<uint16_t, uint32_t>(a, b, 4); }
inline V128 I64x2ExtmulLowI32x4S(V128 a, V128 b) { return extmul<int32_t, int64_t>(a, b, 0); }
inline V128 I64x2ExtmulHighI32x4S(V128 a, V128 b) { return extmul<int32_t, int64_t>(a, b, 2); }
inline V128 I64x2ExtmulLowI32x4U(V128 a, V128 b) { return extmul<uint32_t, uint64_t>(a, b, 0); }
inline V128 I64x2ExtmulHighI32x4U(V128 a, V128 b) { return extmul<uint32_t, uint64_t>(a, b, 2); }

inline V128 I16x8ExtaddPairwiseI8x16S(V128 a) { return extaddPairwise<int8_t, int16_t>(a); }
inline V128 I16x8ExtaddPairwiseI8x16U(V128 a) { return extaddPairwise<uint8_t, uint16_t>(a); }
inline V128 I32x4ExtaddPairwiseI16x8S(V128 a) { return extaddPairwise<int16_t, int32_t>(a); }
inline V128 I32x4ExtaddPairwiseI16x8U(V128 a) { return extaddPairwise<uint16_t, uint32_t>(a); }

// ---------------------------------------------------------------------------
// Float lanes. Lane-wise scalar calls reuse Numeric.h, so a lane computes
// exactly what the scalar instruction would.

inline V128 F32x4Eq(V128 a, V128 b) { return eq<f32x4>(a, b); }
inline V128 F32x4Ne(V128 a, V128 b) { return ne<f32x4>(a, b); }
inline V128 F32x4Lt(V128 a, V128 b) { return lt<f32x4>(a, b); }
inline V128 F32x4Gt(V128 a, V128 b) { return gt<f32x4>(a, b); }
inline V128 F32x4Le(V128 a, V128 b) { return le<f32x4>(a, b); }
inline V128 F32x4Ge(V128 a, V128 b) { return ge<f32x4>(a, b); }
inline V128 F64x2Eq(V128 a, V128 b) { return eq<f64x2>(a, b); }
inline V128 F64x2Ne(V128 a, V128 b) { return ne<f64x2>(a, b); }
inline V128 F64x2Lt(V128 a, V128 b) { return lt<f64x2>(a, b); }
inline V128 F64x2Gt(V128 a, V128 b) { return gt<f64x2>(a, b); }
inline V128 F64x2Le(V128 a, V128 b) { return le<f64x2>(a, b); }
inline V128 F64x2Ge(V128 a, V128 b) { return ge<f64x2>(a, b); }

inline V128 F32x4Abs(V128 a) { return from(as<u32x4>(a) & 0x7fffffffu); }
inline V128 F32x4Neg(V128 a) { return from(as<u32x4>(a) ^ 0x80000000u); }
inline V128 F64x2Abs(V128 a) { return from(as<u64x2>(a) & 0x7fffffffffffffffull); }
inline V128 F64x2Neg(V128 a) { return from(as<u64x2>(a) ^ 0x8000000000000000ull); }

inline V128 F32x4Add(V128 a, V128 b) { return add<f32x4>(a, b); }
inline V128 F32x4Sub(V128 a, V128 b) { return sub<f32x4>(a, b); }
inline V128 F32x4Mul(V128 a, V128 b) { return mul<f32x4>(a, b); }
inline V128 F32x4Div(V128 a, V128 b) { return from(as<f32x4>(a) / as<f32x4>(b)); }
inline V128 F64x2Add(V128 a, V128 b) { return add<f64x2>(a, b); }
inline V128 F64x2Sub(V128 a, V128 b) { return sub<f64x2>(a, b); }
inline V128 F64x2Mul(V128 a, V128 b) { return mul<f64x2>(a, b); }
inline V128 F64x2Div(V128 a, V128 b) { return from(as<f64x2>(a) / as<f64x2>(b)); }

inline V128 F32x4Min(V128 a, V128 b) { return zip<float>(a, b, numeric::F32Min); }
inline V128 F32x4Max(V128 a, V128 b) { return zip<float>(a, b, numeric::F32Max); }
inline V128 F64x2Min(V128 a, V128 b) { return zip<double>(a, b, numeric::F64Min); }
inline V128 F64x2Max(V128 a, V128 b) { return zip<double>(a, b, numeric::F64Max); }
inline V128 F32x4Pmin(V128 a, V128 b) { return pmin<f32x4>(a, b); }
inline V128 F32x4Pmax(V128 a, V128 b) { return pmax<f32x4>(a, b); }
inline V128 F64x2Pmin(V128 a, V128 b) { return pmin<f64x2>(a, b); }
inline V128 F64x2Pmax(V128 a, V128 b) { return pmax<f64x2>(a, b); }

inline V128 F32x4Sqrt(V128 a) { return map<float>(a, numeric::F32Sqrt); }
inline V128 F32x4Ceil(V128 a) { return map<float>(a, numeric::F32Ceil); }
inline V128 F32x4Floor(V128 a) { return map<float>(a, numeric::F32Floor); }
inline V128 F32x4Trunc(V128 a) { return map<float>(a, numeric::F32Trunc); }
inline V128 F32x4Nearest(V128 a) { return map<float>(a, numeric::F32Nearest); }
inline V128 F64x2Sqrt(V128 a) { return map<double>(a, numeric::F64Sqrt); }
inline V128 F64x2Ceil(V128 a) { return map<double>(a, numeric::F64Ceil); }
inline V128 F64x2Floor(V128 a) { return map<double>(a, numeric::F64Floor); }
inline V128 F64x2Trunc(V128 a) { return map<double>(a, numeric::F64Trunc); }
inline V128 F64x2Nearest(V128 a) { return map<double>(a, numeric::F64Nearest); }

// ---------------------------------------------------------------------------
// Conversions (spec 4.3.x: vector versions of trunc_sat, convert, demote,
// promote; the `_zero` forms fill the upper lanes with zeros).

inline V128 I32x4TruncSatF32x4S(V128 a) { return map<float, uint32_t>(a, numeric::I32TruncSatF32S); }
inline V128 I32x4TruncSatF32x4U(V128 a) { return map<float, uint32_t>(a, numeric::I32TruncSatF32U); }
inline V128 F32x4ConvertI32x4S(V128 a) { return map<uint32_t, float>(a, numeric::F32ConvertI32S); }
inline V128 F32x4ConvertI32x4U(V128 a) { return map<uint32_t, float>(a, numeric::F32ConvertI32U); }

template <typename F> inline V128 fromTwoF64(V128 a, F f) {
  Lanes<double> x = lanes<double>(a);
  Lanes<uint32_t> r{};
  r.v[0] = std::bit_cast<uint32_t>(f(x.v[0]));
  r.v[1] = std::bit_cast<uint32_t>(f(x.v[1]));
  return pack(r);
}
inline V128 I32x4TruncSatF64x2SZero(V128 a) { return fromTwoF64(a, numeric::I32TruncSatF64S); }
inline V128 I32x4TruncSatF64x2UZero(V128 a) { return fromTwoF64(a, numeric::I32TruncSatF64U); }
inline V128 F32x4DemoteF64x2Zero(V128 a) { return fromTwoF64(a, numeric::F32DemoteF64); }

template <typename T, typename F> inline V128 fromLowTwo(V128 a, F f) {
  Lanes<T> x = lanes<T>(a);
  Lanes<double> r;
  r.v[0] = f(x.v[0]);
  r.v[1] = f(x.v[1]);
  return pack(r);
}
inline V128 F64x2ConvertLowI32x4S(V128 a) { return fromLowTwo<uint32_t>(a, numeric::F64ConvertI32S); }
inline V128 F64x2ConvertLowI32x4U(V128 a) { return fromLowTwo<uint32_t>(a, numeric::F64ConvertI32U); }
inline V128 F64x2PromoteLowF32x4(V128 a) { return fromLowTwo<float>(a, numeric::F64PromoteF32); }

} // namespace wasmscope::runtime::numeric::simd
