// Test input: functions inlined at -O2 (static inline helpers, nested).
#include <stdio.h>

static inline int square(int x) {
  int s = x * x;
  return s;
}

static inline int sum_squares(int a, int b) {
  int sa = square(a);
  int sb = square(b);
  return sa + sb;
}

__attribute__((noinline)) int compute(int n) {
  int acc = 0;
  for (int i = 0; i < n; ++i)
    acc += sum_squares(i, n - i);
  return acc;
}

__attribute__((noinline)) int crash(int *p, int k) {
  int v = square(k);
  if (v > 10)
    __builtin_trap();
  return p[v];
}

int main(int argc, char **argv) {
  int r = compute(argc + 10);
  printf("%d\n", r);
  if (argc > 1)
    r += crash(&r, argc + 3);
  return r & 1;
}
