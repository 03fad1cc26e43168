/* Dense matrix multiply of doubles, C = A * B in i-k-j order: f64 loads,
 * multiply-adds and address arithmetic in a tight inner loop. */
#include "kernel.h"

#define MAX_DIM 320

static double g_a[MAX_DIM * MAX_DIM];
static double g_b[MAX_DIM * MAX_DIM];
static double g_c[MAX_DIM * MAX_DIM];

static long long kernel(int n) {
  if (n > MAX_DIM)
    n = MAX_DIM;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      g_a[i * n + j] = (double)((i * 7 + j * 3) % 17) / 8.0 - 1.0;
      g_b[i * n + j] = (double)((i * 5 + j * 11) % 13) / 4.0 - 1.5;
    }
  }
  u64 sum = 1469598103934665603ull;
  /* Several rounds, each feeding the previous product back in scaled, so
   * nothing can be hoisted out of the round loop. */
  for (int round = 0; round < 8; ++round) {
    for (int i = 0; i < n * n; ++i)
      g_c[i] = 0.0;
    for (int i = 0; i < n; ++i) {
      double* c = &g_c[i * n];
      for (int k = 0; k < n; ++k) {
        double a = g_a[i * n + k];
        const double* b = &g_b[k * n];
        for (int j = 0; j < n; ++j)
          c[j] += a * b[j];
      }
    }
    for (int i = 0; i < n * n; ++i)
      g_a[i] = g_c[i] * (1.0 / 64.0);
    double trace = 0.0;
    for (int i = 0; i < n; ++i)
      trace += g_c[i * n + i];
    sum = mixChecksum(sum, (u64)(i64)(trace * 1024.0));
  }
  return (long long)(sum >> 1);
}

KERNEL_ENTRY(300, 40)
