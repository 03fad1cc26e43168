// A SIMD guest for the profiler's exactness test (built with -msimd128): the
// block counters must count v128 instructions exactly like scalar ones, with
// branches, loops and calls among them. Written with wasm_simd128.h
// intrinsics and with loops clang vectorises at -O2; prints a checksum so a
// run can be compared with node's.
#include <stdint.h>
#include <stdio.h>
#include <wasm_simd128.h>

enum { N = 4096 };

static float xs[N], ys[N];
static uint8_t bytes[N];
static int32_t ints[N];

__attribute__((noinline)) static float dot(const float *a, const float *b, int n) {
  v128_t acc = wasm_f32x4_splat(0.0f);
  int i = 0;
  for (; i + 4 <= n; i += 4)
    acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(a + i), wasm_v128_load(b + i)));
  float s = wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1) +
            wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3);
  for (; i < n; ++i)
    s += a[i] * b[i];
  return s;
}

/// Bytes above a threshold, counted 16 at a time with a mask and popcount.
__attribute__((noinline)) static uint32_t countAbove(const uint8_t *p, int n, uint8_t limit) {
  v128_t l = wasm_u8x16_splat(limit);
  uint32_t count = 0;
  for (int i = 0; i + 16 <= n; i += 16) {
    v128_t v = wasm_v128_load(p + i);
    v128_t gt = wasm_u8x16_gt(v, l);
    if (wasm_v128_any_true(gt))
      count += (uint32_t)__builtin_popcount(wasm_i8x16_bitmask(gt));
  }
  return count;
}

/// Saturating, shuffling and widening operations over the integers.
__attribute__((noinline)) static int64_t mix(const int32_t *p, int n) {
  v128_t acc = wasm_i64x2_splat(0);
  for (int i = 0; i + 4 <= n; i += 4) {
    v128_t v = wasm_v128_load(p + i);
    v128_t r = wasm_i32x4_shuffle(v, v, 3, 2, 1, 0);
    v128_t m = wasm_i32x4_max(v, r);
    v128_t h = wasm_i16x8_add_sat(wasm_i16x8_narrow_i32x4(m, v), wasm_i16x8_splat(1000));
    acc = wasm_i64x2_add(acc, wasm_i64x2_extend_low_i32x4(wasm_i32x4_extend_low_i16x8(h)));
    acc = wasm_i64x2_add(acc, wasm_i64x2_extend_high_i32x4(wasm_i32x4_extend_high_i16x8(h)));
  }
  return wasm_i64x2_extract_lane(acc, 0) ^ (wasm_i64x2_extract_lane(acc, 1) << 1);
}

/// A loop the compiler vectorises by itself at -O2.
__attribute__((noinline)) static void scale(int32_t *p, int n, int32_t k) {
  for (int i = 0; i < n; ++i)
    p[i] = p[i] * k + (p[i] >> 3);
}

int main(void) {
  uint32_t seed = 12345;
  for (int i = 0; i < N; ++i) {
    seed = seed * 1103515245u + 12345u;
    xs[i] = (float)(seed >> 16) / 65536.0f;
    ys[i] = (float)((seed >> 8) & 0xff) / 16.0f - 8.0f;
    bytes[i] = (uint8_t)(seed >> 24);
    ints[i] = (int32_t)(seed >> 4) - (1 << 26);
  }
  float d = 0;
  uint32_t above = 0;
  int64_t m = 0;
  for (int round = 0; round < 8; ++round) {
    d += dot(xs, ys, N - round);
    above += countAbove(bytes, N, (uint8_t)(100 + round * 10));
    scale(ints, N, 3 - round);
    m ^= mix(ints, N);
  }
  printf("dot %.3f above %u mix %lld\n", d, above, (long long)m);
  return 0;
}
