// A guest for the SIMD session tests: v128 values in memory (-O0), in wasm
// locals and on the operand stack (-O2), as wasm_simd128.h types and as
// GCC-style vector types. Built with -msimd128. Line numbers are used by
// SimdSessionTest.cpp.
#include <stdio.h>
#include <wasm_simd128.h>

typedef float float4 __attribute__((vector_size(16)));
typedef unsigned char u8x16 __attribute__((vector_size(16)));

__attribute__((noinline)) int lane_sum(v128_t v, int k) {
  v128_t t = wasm_i32x4_add(v, wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
  v128_t u = wasm_i32x4_add(t, wasm_i32x4_shuffle(t, t, 1, 0, 3, 2));
  return wasm_i32x4_extract_lane(u, 0) * k;
}

__attribute__((noinline)) float dot(float4 a, float4 b) {
  float4 p = a * b;
  return p[0] + p[1] + p[2] + p[3];
}

int main(int argc, char **argv) {
  v128_t a = wasm_i32x4_make(argc, 2, 3, 4);
  float4 f = {1.5f, -2.0f, 0.25f, 8.0f};
  v128_t bytes = wasm_u8x16_make(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 255);
  u8x16 raw = (u8x16)bytes;
  int s = lane_sum(a, argc + 1);
  float d = dot(f, f);
  printf("%d %g %d\n", s, d, raw[15]);
  return 0;
}
