/* Sieve of Eratosthenes over a byte array: byte loads and stores with a
 * large stride, and a counting pass. */
#include "kernel.h"

#define MAX_LIMIT (8 * 1024 * 1024)

static u8 g_composite[MAX_LIMIT + 1];

static long long kernel(int n) {
  int limit = n > MAX_LIMIT ? MAX_LIMIT : n;
  u64 sum = 1469598103934665603ull;
  /* Sieve several nested limits so each pass does different work. */
  for (int pass = 0; pass < 4; ++pass) {
    int top = limit - pass * (limit / 8);
    for (int i = 0; i <= top; ++i)
      g_composite[i] = 0;
    for (int p = 2; p * p <= top; ++p) {
      if (g_composite[p])
        continue;
      for (int m = p * p; m <= top; m += p)
        g_composite[m] = 1;
    }
    u64 count = 0, last = 0;
    for (int i = 2; i <= top; ++i) {
      if (!g_composite[i]) {
        ++count;
        last = (u64)i;
      }
    }
    sum = mixChecksum(sum, count);
    sum = mixChecksum(sum, last);
  }
  return (long long)(sum >> 1);
}

KERNEL_ENTRY(8000000, 200000)
