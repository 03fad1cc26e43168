// Unit tests for NumericSimd.h on its own: the edge cases where host vector
// instructions and wasm disagree (NaN and signed zeros in min/max, float to
// int saturation, swizzle indices, Q15 saturation, unsigned narrowing), and a
// randomized cross-check of every lane-wise operation against the scalar
// instruction of Numeric.h applied lane by lane. The spec suite's simd_*
// scripts run the same functions end to end.
#include "wasmscope/runtime/NumericSimd.h"

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cstring>
#include <random>

namespace wasmscope::runtime {
namespace {

namespace simd = numeric::simd;

template <typename T, size_t N> V128 make(const std::array<T, N>& lanes) {
  static_assert(sizeof(T) * N == 16);
  uint8_t b[16];
  std::memcpy(b, lanes.data(), 16);
  return std::bit_cast<V128>(b);
}
template <typename T> std::array<T, 16 / sizeof(T)> lanesOf(V128 v) {
  std::array<T, 16 / sizeof(T)> out;
  std::memcpy(out.data(), reinterpret_cast<const uint8_t*>(&v), 16);
  return out;
}

V128 i32x4(int32_t a, int32_t b, int32_t c, int32_t d) {
  return make<int32_t, 4>({a, b, c, d});
}
V128 f32x4(float a, float b, float c, float d) { return make<float, 4>({a, b, c, d}); }
V128 f64x2(double a, double b) { return make<double, 2>({a, b}); }

/// Hides a value from constant folding, as an interpreter slot does.
V128 opaque(V128 v) {
  volatile uint64_t lo = v.lo, hi = v.hi;
  return {lo, hi};
}

const float kNan = std::bit_cast<float>(0x7fc00000u);
const float kSNan = std::bit_cast<float>(0x7fa00000u);
const float kInf = std::numeric_limits<float>::infinity();

TEST(NumericSimd, LanesAreLittleEndianInMemoryOrder) {
  uint8_t mem[16];
  for (int i = 0; i < 16; ++i)
    mem[i] = uint8_t(i + 1);
  V128 v = simd::V128Load(mem);
  EXPECT_EQ(v.lo, 0x0807060504030201ull);
  EXPECT_EQ(simd::I8x16ExtractLaneU(v, 15), 16u);
  EXPECT_EQ(simd::I16x8ExtractLaneU(v, 1), 0x0403u);
  EXPECT_EQ(simd::I32x4ExtractLane(v, 3), 0x100f0e0du);
  // Extending loads read 8 bytes; splats one lane; _zero loads clear the rest.
  EXPECT_EQ(lanesOf<int16_t>(simd::V128Load8x8S(mem))[7], 8);
  mem[0] = 0xff;
  EXPECT_EQ(lanesOf<int16_t>(simd::V128Load8x8S(mem))[0], -1);
  EXPECT_EQ(lanesOf<uint16_t>(simd::V128Load8x8U(mem))[0], 0xff);
  EXPECT_EQ(lanesOf<int64_t>(simd::V128Load32x2S(mem + 12))[0], 0x100f0e0d);
  EXPECT_EQ(simd::V128Load32Splat(mem + 4).hi, 0x0807060508070605ull);
  V128 z = simd::V128Load32Zero(mem + 4);
  EXPECT_EQ(z.lo, 0x08070605ull);
  EXPECT_EQ(z.hi, 0u);
  // Lane loads and stores touch exactly their lane.
  V128 withLane = simd::V128Load16Lane(mem, i32x4(0, 0, 0, 0), 3);
  EXPECT_EQ(lanesOf<uint16_t>(withLane), (std::array<uint16_t, 8>{0, 0, 0, 0x02ff, 0, 0, 0, 0}));
  uint8_t out[4] = {9, 9, 9, 9};
  simd::V128Store16Lane(out + 1, withLane, 3);
  EXPECT_EQ(out[0], 9);
  EXPECT_EQ(out[1], 0xff);
  EXPECT_EQ(out[2], 0x02);
  EXPECT_EQ(out[3], 9);
}

TEST(NumericSimd, FloatMinMaxFollowWasmNotTheHardware) {
  // x86 minps would return the second operand for NaN and for a pair of zeros.
  V128 a = opaque(f32x4(kNan, -0.0f, 0.0f, 1.0f));
  V128 b = opaque(f32x4(1.0f, 0.0f, -0.0f, kSNan));
  auto mn = lanesOf<uint32_t>(simd::F32x4Min(a, b));
  auto mx = lanesOf<uint32_t>(simd::F32x4Max(a, b));
  EXPECT_EQ(mn[0], 0x7fc00000u); // NaN operand -> NaN
  EXPECT_EQ(mn[1], 0x80000000u); // -0 < +0
  EXPECT_EQ(mn[2], 0x80000000u);
  EXPECT_EQ(mn[3] & 0x7fc00000u, 0x7fc00000u); // a quiet (arithmetic) NaN
  EXPECT_EQ(mx[1], 0x00000000u);
  EXPECT_EQ(mx[2], 0x00000000u);
  // pmin/pmax are exactly `b < a ? b : a`: NaN and zero operands pass through.
  auto pmn = lanesOf<uint32_t>(simd::F32x4Pmin(a, b));
  EXPECT_EQ(pmn[0], std::bit_cast<uint32_t>(kNan));
  EXPECT_EQ(pmn[1], 0x80000000u);
  EXPECT_EQ(pmn[2], 0x00000000u);
  EXPECT_EQ(pmn[3], 0x3f800000u);
  auto pmx = lanesOf<uint32_t>(simd::F64x2Pmax(opaque(f64x2(1.0, -0.0)), opaque(f64x2(2.0, 0.0))));
  EXPECT_EQ(pmx[0], 0u); // 2.0's low word
  EXPECT_EQ(lanesOf<double>(simd::F64x2Pmax(f64x2(1.0, -0.0), f64x2(2.0, 0.0)))[0], 2.0);
}

TEST(NumericSimd, SaturatingConversions) {
  V128 v = opaque(f32x4(kNan, -kInf, 3e9f, -2.7f));
  EXPECT_EQ(lanesOf<int32_t>(simd::I32x4TruncSatF32x4S(v)),
            (std::array<int32_t, 4>{0, INT32_MIN, INT32_MAX, -2}));
  EXPECT_EQ(lanesOf<uint32_t>(simd::I32x4TruncSatF32x4U(v)),
            (std::array<uint32_t, 4>{0, 0, 3000000000u, 0}));
  auto z = lanesOf<int32_t>(simd::I32x4TruncSatF64x2SZero(opaque(f64x2(-1e300, 7.9))));
  EXPECT_EQ(z, (std::array<int32_t, 4>{INT32_MIN, 7, 0, 0}));
  // u32 -> f32 rounds to nearest even, as the scalar conversion does.
  EXPECT_EQ(lanesOf<float>(simd::F32x4ConvertI32x4U(i32x4(-1, 16777217, 0, 1)))[0], 4294967296.0f);
  EXPECT_EQ(lanesOf<float>(simd::F32x4ConvertI32x4U(i32x4(-1, 16777217, 0, 1)))[1], 16777216.0f);
  auto d = lanesOf<double>(simd::F64x2ConvertLowI32x4U(i32x4(-1, 2, 99, 99)));
  EXPECT_EQ(d[0], 4294967295.0);
  EXPECT_EQ(d[1], 2.0);
  auto demoted = lanesOf<uint32_t>(simd::F32x4DemoteF64x2Zero(opaque(f64x2(1e300, 0.5))));
  EXPECT_EQ(demoted, (std::array<uint32_t, 4>{0x7f800000u, 0x3f000000u, 0, 0}));
}

TEST(NumericSimd, IntegerEdgeCases) {
  // Q15 multiplication saturates the one overflowing product.
  V128 q = make<int16_t, 8>({INT16_MIN, INT16_MIN, 16384, -16384, 1, 0, 0, 0});
  V128 r = make<int16_t, 8>({INT16_MIN, 16384, 16384, 16384, 16384, 0, 0, 0});
  EXPECT_EQ(lanesOf<int16_t>(simd::I16x8Q15mulrSatS(q, r)),
            (std::array<int16_t, 8>{INT16_MAX, -16384, 8192, -8192, 1, 0, 0, 0}));
  // Swizzle: any index >= 16 gives 0 (x86 pshufb only looks at the top bit).
  V128 bytes = make<uint8_t, 16>({10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25});
  V128 idx = make<uint8_t, 16>({0, 15, 16, 31, 127, 128, 255, 3, 1, 1, 1, 1, 1, 1, 1, 1});
  auto sw = lanesOf<uint8_t>(simd::I8x16Swizzle(bytes, idx));
  EXPECT_EQ(sw[0], 10);
  EXPECT_EQ(sw[1], 25);
  for (int i = 2; i <= 6; ++i)
    EXPECT_EQ(sw[i], 0) << i;
  EXPECT_EQ(sw[7], 13);
  // Shuffle picks from both operands.
  uint8_t lanes[16] = {0, 16, 1, 17, 31, 30, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  auto sh = lanesOf<uint8_t>(simd::I8x16Shuffle(bytes, simd::I8x16Splat(99), lanes));
  EXPECT_EQ(sh[0], 10);
  EXPECT_EQ(sh[1], 99);
  EXPECT_EQ(sh[4], 99);
  EXPECT_EQ(sh[6], 12);
  // Narrowing treats its input as signed and saturates to the output's range.
  V128 wide = make<int32_t, 4>({-5, 70000, 65535, 12});
  EXPECT_EQ(lanesOf<uint16_t>(simd::I16x8NarrowI32x4U(wide, wide)),
            (std::array<uint16_t, 8>{0, 65535, 65535, 12, 0, 65535, 65535, 12}));
  EXPECT_EQ(lanesOf<int16_t>(simd::I16x8NarrowI32x4S(wide, wide))[1], INT16_MAX);
  EXPECT_EQ(lanesOf<uint8_t>(simd::I8x16NarrowI16x8U(make<int16_t, 8>({-1, 300, 255, 0, 0, 0, 0, 0}),
                                                    i32x4(0, 0, 0, 0)))[1],
            255);
  // Shift counts are taken modulo the lane width.
  EXPECT_EQ(lanesOf<uint8_t>(simd::I8x16Shl(simd::I8x16Splat(1), 9))[0], 2);
  EXPECT_EQ(lanesOf<int32_t>(simd::I32x4ShrS(i32x4(-8, 8, 0, 0), 33))[0], -4);
  EXPECT_EQ(lanesOf<uint64_t>(simd::I64x2ShrU(simd::I64x2Splat(~0ull), 64))[1], ~0ull);
  // abs and neg wrap at the minimum.
  EXPECT_EQ(lanesOf<int8_t>(simd::I8x16Abs(simd::I8x16Splat(0x80)))[5], INT8_MIN);
  EXPECT_EQ(lanesOf<int64_t>(simd::I64x2Neg(simd::I64x2Splat(uint64_t(INT64_MIN))))[0], INT64_MIN);
  // Saturating add/sub, rounding average, dot product.
  EXPECT_EQ(lanesOf<int8_t>(simd::I8x16AddSatS(simd::I8x16Splat(100), simd::I8x16Splat(100)))[0], 127);
  EXPECT_EQ(lanesOf<uint16_t>(simd::I16x8SubSatU(simd::I16x8Splat(1), simd::I16x8Splat(2)))[0], 0);
  EXPECT_EQ(lanesOf<uint8_t>(simd::I8x16AvgrU(simd::I8x16Splat(255), simd::I8x16Splat(0)))[0], 128);
  V128 dot = simd::I32x4DotI16x8S(simd::I16x8Splat(0x8000), simd::I16x8Splat(0x8000));
  EXPECT_EQ(lanesOf<uint32_t>(dot)[0], 0x80000000u); // 2 * 2^30 wraps
  // Extended multiplication, pairwise sums, popcount, masks and tests.
  EXPECT_EQ(lanesOf<int64_t>(simd::I64x2ExtmulHighI32x4S(i32x4(0, 0, INT32_MIN, 3), i32x4(0, 0, INT32_MIN, -3))),
            (std::array<int64_t, 2>{int64_t(1) << 62, -9}));
  EXPECT_EQ(lanesOf<uint16_t>(simd::I16x8ExtaddPairwiseI8x16U(simd::I8x16Splat(255)))[0], 510);
  EXPECT_EQ(lanesOf<int16_t>(simd::I16x8ExtaddPairwiseI8x16S(simd::I8x16Splat(255)))[0], -2);
  EXPECT_EQ(lanesOf<uint8_t>(simd::I8x16Popcnt(simd::I8x16Splat(0xb7)))[9], 6);
  EXPECT_EQ(simd::I8x16Bitmask(make<int8_t, 16>({-1, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -128})),
            0x8005u);
  EXPECT_EQ(simd::I32x4Bitmask(i32x4(-1, 1, INT32_MIN, 0)), 0b0101u);
  EXPECT_EQ(simd::I16x8AllTrue(make<int16_t, 8>({1, 1, 1, 1, 1, 1, 1, 0})), 0u);
  EXPECT_EQ(simd::I64x2AllTrue(simd::I64x2Splat(1ull << 63)), 1u);
  EXPECT_EQ(simd::V128AnyTrue(V128{0, 1}), 1u);
  EXPECT_EQ(simd::V128AnyTrue(V128{0, 0}), 0u);
  EXPECT_EQ(simd::V128Bitselect(V128{~0ull, 0}, V128{0, ~0ull}, V128{0xff00ull, 0xf0ull}),
            (V128{0xff00ull, ~0xf0ull}));
}

// --- Randomized cross-check against the scalar instructions -----------------

/// Random lanes with the special values that matter overrepresented.
class Inputs {
public:
  V128 next() {
    V128 v{m_rng(), m_rng()};
    switch (m_rng() % 4) {
    case 0: { // float specials in f32 lanes
      static const uint32_t kSpecial[] = {0x7fc00000, 0x7fa00000, 0xffc00001, 0x80000000,
                                          0x00000000, 0x7f800000, 0xff800000, 0x4f000000,
                                          0xcf000001, 0x3f000000, 0x00000001, 0x4b800000};
      uint32_t l[4];
      for (uint32_t& x : l)
        x = m_rng() % 2 ? kSpecial[m_rng() % std::size(kSpecial)] : uint32_t(m_rng());
      return make<uint32_t, 4>({l[0], l[1], l[2], l[3]});
    }
    case 1: { // f64 specials
      static const uint64_t kSpecial[] = {0x7ff8000000000000, 0x7ff4000000000000,
                                          0x8000000000000000, 0x0,
                                          0x7ff0000000000000, 0x41e0000000000000,
                                          0xc1e0000000200000, 0x3fe8000000000000};
      uint64_t a = m_rng() % 2 ? kSpecial[m_rng() % std::size(kSpecial)] : m_rng();
      uint64_t b = m_rng() % 2 ? kSpecial[m_rng() % std::size(kSpecial)] : m_rng();
      return {a, b};
    }
    case 2: // integer extremes in every lane width
      return {m_rng() % 2 ? 0x8000800080008000ull : 0x7fff7fff7fff7fffull,
              m_rng() % 2 ? 0xffffffffffffffffull : 0x8080808080808080ull};
    default:
      return v;
    }
  }

private:
  std::mt19937_64 m_rng{20240611};
};

/// Compares a vector result with the scalar one lane by lane, as bits, except
/// that two NaNs of the same quiet class are equal (the spec lets a NaN
/// result's payload and sign vary).
template <typename Lane> bool sameLane(Lane a, Lane b) {
  if constexpr (std::is_floating_point_v<Lane>) {
    if (std::isnan(a) && std::isnan(b))
      return true;
  }
  return std::memcmp(&a, &b, sizeof a) == 0;
}

template <typename Lane, typename Out = Lane, typename VecOp, typename ScalarOp>
void crossCheckBinary(const char* name, VecOp vec, ScalarOp scalar) {
  Inputs in;
  for (int i = 0; i < 4000; ++i) {
    V128 a = opaque(in.next()), b = opaque(in.next());
    auto r = lanesOf<Out>(vec(a, b));
    auto x = lanesOf<Lane>(a), y = lanesOf<Lane>(b);
    for (size_t l = 0; l < x.size(); ++l) {
      Out expected = Out(scalar(x[l], y[l]));
      ASSERT_TRUE(sameLane(r[l], expected)) << name << " lane " << l << " iteration " << i;
    }
  }
}

template <typename Lane, typename Out = Lane, typename VecOp, typename ScalarOp>
void crossCheckUnary(const char* name, VecOp vec, ScalarOp scalar) {
  Inputs in;
  for (int i = 0; i < 4000; ++i) {
    V128 a = opaque(in.next());
    auto r = lanesOf<Out>(vec(a));
    auto x = lanesOf<Lane>(a);
    for (size_t l = 0; l < x.size(); ++l)
      ASSERT_TRUE(sameLane(r[l], Out(scalar(x[l])))) << name << " lane " << l << " iteration " << i;
  }
}

/// A compare's lane: all ones when the scalar compare is true.
template <typename U> auto mask(uint32_t t) { return t ? U(~U(0)) : U(0); }

TEST(NumericSimd, IntegerLanesMatchScalarInstructions) {
  crossCheckBinary<uint32_t>("i32x4.add", simd::I32x4Add, numeric::I32Add);
  crossCheckBinary<uint32_t>("i32x4.sub", simd::I32x4Sub, numeric::I32Sub);
  crossCheckBinary<uint32_t>("i32x4.mul", simd::I32x4Mul, numeric::I32Mul);
  crossCheckBinary<uint64_t>("i64x2.add", simd::I64x2Add, numeric::I64Add);
  crossCheckBinary<uint64_t>("i64x2.mul", simd::I64x2Mul, numeric::I64Mul);
  crossCheckBinary<uint16_t>("i16x8.mul", simd::I16x8Mul,
                             [](uint16_t a, uint16_t b) { return uint16_t(uint32_t(a) * b); });
  crossCheckBinary<uint8_t>("i8x16.sub", simd::I8x16Sub, [](uint8_t a, uint8_t b) { return uint8_t(a - b); });
  crossCheckBinary<uint32_t>("i32x4.lt_s", simd::I32x4LtS,
                             [](uint32_t a, uint32_t b) { return mask<uint32_t>(numeric::I32LtS(a, b)); });
  crossCheckBinary<uint32_t>("i32x4.ge_u", simd::I32x4GeU,
                             [](uint32_t a, uint32_t b) { return mask<uint32_t>(numeric::I32GeU(a, b)); });
  crossCheckBinary<uint64_t>("i64x2.le_s", simd::I64x2LeS,
                             [](uint64_t a, uint64_t b) { return mask<uint64_t>(numeric::I64LeS(a, b)); });
  crossCheckBinary<int8_t>("i8x16.gt_s", simd::I8x16GtS, [](int8_t a, int8_t b) { return int8_t(a > b ? -1 : 0); });
  crossCheckBinary<uint16_t>("i16x8.le_u", simd::I16x8LeU, [](uint16_t a, uint16_t b) { return uint16_t(a <= b ? 0xffff : 0); });
  crossCheckBinary<int8_t>("i8x16.min_s", simd::I8x16MinS, [](int8_t a, int8_t b) { return std::min(a, b); });
  crossCheckBinary<uint16_t>("i16x8.max_u", simd::I16x8MaxU, [](uint16_t a, uint16_t b) { return std::max(a, b); });
  crossCheckBinary<int32_t>("i32x4.max_s", simd::I32x4MaxS, [](int32_t a, int32_t b) { return std::max(a, b); });
  crossCheckBinary<int8_t>("i8x16.add_sat_s", simd::I8x16AddSatS,
                           [](int8_t a, int8_t b) { return int8_t(std::clamp(a + b, -128, 127)); });
  crossCheckBinary<uint16_t>("i16x8.add_sat_u", simd::I16x8AddSatU,
                             [](uint16_t a, uint16_t b) { return uint16_t(std::min(a + b, 65535)); });
  crossCheckBinary<int16_t>("i16x8.sub_sat_s", simd::I16x8SubSatS,
                            [](int16_t a, int16_t b) { return int16_t(std::clamp(a - b, -32768, 32767)); });
  crossCheckBinary<uint16_t>("i16x8.avgr_u", simd::I16x8AvgrU,
                             [](uint16_t a, uint16_t b) { return uint16_t((a + b + 1) / 2); });
  crossCheckUnary<uint32_t>("i32x4.abs", simd::I32x4Abs,
                            [](uint32_t a) { return int32_t(a) < 0 ? 0u - a : a; });
  crossCheckUnary<uint16_t>("i16x8.neg", simd::I16x8Neg, [](uint16_t a) { return uint16_t(0u - a); });
  crossCheckUnary<uint8_t>("i8x16.popcnt", simd::I8x16Popcnt, [](uint8_t a) { return uint8_t(std::popcount(a)); });
  for (uint32_t n : {0u, 1u, 7u, 15u, 16u, 31u, 33u, 63u, 64u, 200u}) {
    crossCheckUnary<uint32_t>("i32x4.shl", [n](V128 a) { return simd::I32x4Shl(a, n); },
                              [n](uint32_t a) { return numeric::I32Shl(a, n); });
    crossCheckUnary<uint64_t>("i64x2.shr_s", [n](V128 a) { return simd::I64x2ShrS(a, n); },
                              [n](uint64_t a) { return numeric::I64ShrS(a, n); });
    crossCheckUnary<int16_t>("i16x8.shr_s", [n](V128 a) { return simd::I16x8ShrS(a, n); },
                             [n](int16_t a) { return int16_t(a >> (n % 16)); });
    crossCheckUnary<uint8_t>("i8x16.shr_u", [n](V128 a) { return simd::I8x16ShrU(a, n); },
                             [n](uint8_t a) { return uint8_t(a >> (n % 8)); });
  }
}

TEST(NumericSimd, FloatLanesMatchScalarInstructions) {
  crossCheckBinary<float>("f32x4.add", simd::F32x4Add, numeric::F32Add);
  crossCheckBinary<float>("f32x4.sub", simd::F32x4Sub, numeric::F32Sub);
  crossCheckBinary<float>("f32x4.mul", simd::F32x4Mul, numeric::F32Mul);
  crossCheckBinary<float>("f32x4.div", simd::F32x4Div, numeric::F32Div);
  crossCheckBinary<double>("f64x2.add", simd::F64x2Add, numeric::F64Add);
  crossCheckBinary<double>("f64x2.div", simd::F64x2Div, numeric::F64Div);
  crossCheckBinary<float>("f32x4.min", simd::F32x4Min, numeric::F32Min);
  crossCheckBinary<double>("f64x2.max", simd::F64x2Max, numeric::F64Max);
  crossCheckBinary<float, uint32_t>("f32x4.lt", simd::F32x4Lt,
                                    [](float a, float b) { return mask<uint32_t>(numeric::F32Lt(a, b)); });
  crossCheckBinary<float, uint32_t>("f32x4.ne", simd::F32x4Ne,
                                    [](float a, float b) { return mask<uint32_t>(numeric::F32Ne(a, b)); });
  crossCheckBinary<double, uint64_t>("f64x2.ge", simd::F64x2Ge,
                                     [](double a, double b) { return mask<uint64_t>(numeric::F64Ge(a, b)); });
  crossCheckUnary<float>("f32x4.sqrt", simd::F32x4Sqrt, numeric::F32Sqrt);
  crossCheckUnary<float>("f32x4.nearest", simd::F32x4Nearest, numeric::F32Nearest);
  crossCheckUnary<double>("f64x2.floor", simd::F64x2Floor, numeric::F64Floor);
  crossCheckUnary<float, uint32_t>("f32x4.abs", simd::F32x4Abs,
                                   [](float a) { return std::bit_cast<uint32_t>(numeric::F32Abs(a)); });
  crossCheckUnary<double, uint64_t>("f64x2.neg", simd::F64x2Neg,
                                    [](double a) { return std::bit_cast<uint64_t>(numeric::F64Neg(a)); });
  crossCheckUnary<float, uint32_t>("i32x4.trunc_sat_f32x4_s", simd::I32x4TruncSatF32x4S,
                                   numeric::I32TruncSatF32S);
  crossCheckUnary<uint32_t, float>("f32x4.convert_i32x4_u", simd::F32x4ConvertI32x4U,
                                   numeric::F32ConvertI32U);
}

} // namespace
} // namespace wasmscope::runtime
