// Counts its own calls, so that a test can check the profiler's call counts
// against the program's: every function adds one to its counter on entry,
// and main prints the counters. Direct calls, indirect calls through a
// table (fib, apply's targets) and mutual recursion (is_even, is_odd).
// noinline and the volatile function pointer keep -O2 from folding calls
// away, so the program's count is the wasm call count.
#include <stdio.h>

static unsigned long n_leaf, n_fib, n_even, n_odd, n_apply, n_square, n_cube;

__attribute__((noinline)) static int leaf(int x) {
  n_leaf++;
  return x * 3 + 1;
}

static int fib(int n);
static int (*volatile fib_ptr)(int) = fib;

__attribute__((noinline)) static int fib(int n) {
  n_fib++;
  if (n < 2)
    return n;
  return fib_ptr(n - 1) + fib_ptr(n - 2);
}

__attribute__((noinline)) static int is_odd(int n);

__attribute__((noinline)) static int is_even(int n) {
  n_even++;
  return n == 0 ? 1 : is_odd(n - 1);
}

__attribute__((noinline)) static int is_odd(int n) {
  n_odd++;
  return n == 0 ? 0 : is_even(n - 1);
}

__attribute__((noinline)) static int square(int x) {
  n_square++;
  return x * x;
}

__attribute__((noinline)) static int cube(int x) {
  n_cube++;
  return x * x * x;
}

__attribute__((noinline)) static int apply(int (*volatile f)(int), int x) {
  n_apply++;
  return f(x);
}

int main(int argc, char **argv) {
  (void)argv;
  int acc = 0;
  for (int i = 0; i < 1000 + argc; ++i)
    acc += leaf(i);
  acc += fib(16);
  acc += is_even(301);
  int (*fs[2])(int) = {square, cube};
  for (int i = 0; i < 300; ++i)
    acc += apply(fs[i % 3 == 0], i);
  printf("leaf %lu\nfib %lu\nis_even %lu\nis_odd %lu\napply %lu\nsquare %lu\ncube %lu\nacc %d\n",
         n_leaf, n_fib, n_even, n_odd, n_apply, n_square, n_cube, acc);
  return 0;
}
