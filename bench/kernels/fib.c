/* Recursive Fibonacci: call and return cost, nothing else. */
#include "kernel.h"

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static long long kernel(int n) { return fib(n); }

KERNEL_ENTRY(39, 22)
