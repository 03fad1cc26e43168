/* Shared by the benchmark kernels. Each kernel is one C file with no libc
 * and no imports: it defines `static long long kernel(int n)` and then
 * KERNEL_ENTRY(benchN, smallN), which exports `run` (the benchmark's size)
 * and `run_small` (the size the checksum test uses under an interpreter).
 * The size is read through a volatile so that no compiler specialises the
 * kernel for it. */
#ifndef WASMSCOPE_BENCH_KERNEL_H
#define WASMSCOPE_BENCH_KERNEL_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long i64;

#define KERNEL_ENTRY(benchN, smallN)                                          \
  static volatile int g_benchN = (benchN);                                    \
  static volatile int g_smallN = (smallN);                                    \
  long long run(void);                                                        \
  long long run_small(void);                                                  \
  long long run(void) { return kernel(g_benchN); }                            \
  long long run_small(void) { return kernel(g_smallN); }

/* xorshift32 (Marsaglia): small, fast, identical on every target. */
static inline u32 nextRandom(u32* state) {
  u32 x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

/* Folds a value into a running checksum (FNV-1a style over 64 bits). */
static inline u64 mixChecksum(u64 sum, u64 value) {
  return (sum ^ value) * 0x100000001b3ull;
}

#endif
